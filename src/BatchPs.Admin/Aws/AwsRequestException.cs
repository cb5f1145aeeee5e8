using System.Net;

namespace BatchPs.Admin.Aws;

/// <summary>An AWS service answered with an error (after any retries).</summary>
public sealed class AwsRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AwsRequestException(string service, string errorCode, string message, HttpStatusCode statusCode, string? requestId, Exception? inner = null)
        : base($"{service} {errorCode}: {message}", inner)
    {
        Service = service;
        ErrorCode = errorCode;
        ServiceMessage = message;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>The service that answered (e.g. <c>cloudformation</c>, <c>s3</c>).</summary>
    public string Service { get; }
    /// <summary>The service's error code (e.g. <c>ValidationError</c>, <c>AccessDenied</c>).</summary>
    public string ErrorCode { get; }
    /// <summary>The service's own message.</summary>
    public string ServiceMessage { get; }
    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }
    /// <summary>The request id, for AWS support.</summary>
    public string? RequestId { get; }

    /// <summary>True for access errors (the caller's permissions or keys are wrong).</summary>
    public bool IsAccessDenied =>
        StatusCode == HttpStatusCode.Forbidden || ErrorCode.IndexOf("AccessDenied", StringComparison.Ordinal) >= 0
        || ErrorCode is "UnrecognizedClientException" or "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken";
}
