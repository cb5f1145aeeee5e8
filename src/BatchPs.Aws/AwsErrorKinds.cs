using System.Net;

namespace BatchPs.Aws;

/// <summary>Which AWS errors are worth retrying, and which mean the local clock is off.</summary>
internal static class AwsErrorKinds
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    private static readonly HashSet<string> ClockSkew = new(StringComparer.Ordinal)
    {
        "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "RequestInTheFuture",
    };

    /// <summary>True for throttling codes, 429 and every 5xx.</summary>
    public static bool IsRetryable(string errorCode, HttpStatusCode status) =>
        Throttling.Contains(errorCode) || (int)status == 429 || (int)status >= 500;

    /// <summary>True for the codes a service gives when the signing time is too far from its own.</summary>
    public static bool IsClockSkew(string errorCode) => ClockSkew.Contains(errorCode);
}
