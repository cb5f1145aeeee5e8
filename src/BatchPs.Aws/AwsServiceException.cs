using System.Net;

namespace BatchPs.Aws;

/// <summary>An AWS service answered with an error: its code (e.g. <c>ThrottlingException</c>), message and HTTP status.</summary>
public class AwsServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AwsServiceException(string errorCode, string message, HttpStatusCode statusCode, string? requestId, Exception? inner = null)
        : base($"{errorCode}: {message}", inner)
    {
        ErrorCode = errorCode;
        ServiceMessage = message;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>The service's error code, without namespace (e.g. <c>ExecutionAlreadyExists</c>).</summary>
    public string ErrorCode { get; }

    /// <summary>The service's own message, without the code.</summary>
    public string ServiceMessage { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The request id AWS gave (<c>x-amzn-RequestId</c>), for support cases; null when absent.</summary>
    public string? RequestId { get; }
}
