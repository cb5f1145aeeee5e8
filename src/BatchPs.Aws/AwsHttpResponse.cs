using System.Net;

namespace BatchPs.Aws;

/// <summary>One HTTP answer of an AWS service, fully read.</summary>
public sealed class AwsHttpResponse
{
    /// <summary>Creates the answer.</summary>
    public AwsHttpResponse(HttpStatusCode statusCode, byte[] body, string? requestId, DateTimeOffset? serverDate, string? errorType = null)
    {
        ErrorType = errorType;
        StatusCode = statusCode;
        Body = body;
        RequestId = requestId;
        ServerDate = serverDate;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }
    /// <summary>The body bytes.</summary>
    public byte[] Body { get; }
    /// <summary>The <c>x-amzn-RequestId</c> header, when present.</summary>
    public string? RequestId { get; }
    /// <summary>The service's <c>Date</c> header, used to correct clock skew.</summary>
    public DateTimeOffset? ServerDate { get; }

    /// <summary>The <c>x-amzn-ErrorType</c> header (REST protocols name the error there), when present.</summary>
    public string? ErrorType { get; }
}
