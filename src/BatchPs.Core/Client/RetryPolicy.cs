using BatchPs.Core.Retries;

namespace BatchPs.Core.Client;

/// <summary>
/// When and how long to wait before retrying a trigger API call: exponential backoff with full jitter
/// (a random delay between zero and <c>min(MaxDelay, BaseDelay * 2^retry)</c>), a server's
/// <c>Retry-After</c> taking precedence, and a cap on the total time spent. What cannot succeed on a retry
/// (<see cref="IsRetryable(Exception)"/>: an unknown host, a failed TLS handshake) is not retried.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>The policy the cmdlets use: retries for up to 2 minutes (what the README promises).</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>A policy that never retries.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Most attempts, the first included (default: no limit but <see cref="MaxTotalTime"/>).</summary>
    public int MaxAttempts { get; set; } = int.MaxValue;

    /// <summary>The backoff unit (default 0.5 s).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest backoff before jitter (default 20 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>No retry starts once this much time passed since the first attempt (default 2 min).</summary>
    public TimeSpan MaxTotalTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// True when an HTTP status is worth retrying: 408, 429 and 5xx other than 501, 505 and 507 (the local stack's
    /// disk is full: a person must free space, and its message says where, at once rather than after minutes of retries).
    /// </summary>
    public static bool IsRetryableStatus(int statusCode) =>
        statusCode == 408 || statusCode == 429 || (statusCode >= 500 && statusCode <= 599 && statusCode != 501 && statusCode != 505 && statusCode != 507);

    /// <summary>
    /// True when a failure to get an answer may pass on a retry (a refused or reset connection, a timeout); false
    /// for what a retry cannot fix: a host name DNS does not know, a TLS handshake that failed (for example
    /// https:// against a plain HTTP port).
    /// </summary>
    public static bool IsRetryable(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException) return false;
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData }) return false;
        }
        return true;
    }

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1 = the first retry), or null when the
    /// policy gives up: too many attempts, or the delay would end past <see cref="MaxTotalTime"/>.
    /// </summary>
    /// <param name="retry">1 for the first retry.</param>
    /// <param name="elapsed">Time since the first attempt began.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c>, when it sent one.</param>
    public TimeSpan? NextDelay(int retry, TimeSpan elapsed, TimeSpan? retryAfter)
    {
        if (retry < 1) throw new ArgumentOutOfRangeException(nameof(retry), retry, "The first retry is number 1.");
        if (retry >= MaxAttempts) return null;
        var delay = new Backoff(BaseDelay, MaxDelay).Delay(retry, retryAfter);
        return elapsed + delay > MaxTotalTime ? null : delay;
    }
}
