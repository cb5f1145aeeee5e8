using System.Net;

namespace BatchPs.Aws;

/// <summary>Which AWS errors are worth retrying (those that mean the local clock is off: <see cref="Signing.SigV4Signer.IsClockSkewError"/>).</summary>
internal static class AwsErrorKinds
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    /// <summary>True for throttling codes, 429 and every 5xx.</summary>
    public static bool IsRetryable(string errorCode, HttpStatusCode status) =>
        Throttling.Contains(errorCode) || (int)status == 429 || (int)status >= 500;
}
