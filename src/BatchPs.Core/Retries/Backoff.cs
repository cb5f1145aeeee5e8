namespace BatchPs.Core.Retries;

/// <summary>
/// The one exponential backoff every BatchPs retry loop uses (the trigger client, the signed AWS clients, the
/// admin engine and the local stack's background loops): the ceiling of retry <c>n</c> is
/// <c>min(MaxDelay, BaseDelay * 2^(n-1))</c>; with full jitter the delay is a random point between zero and that
/// ceiling (the AWS Architecture Blog's "full jitter"); a server's <c>Retry-After</c> takes precedence.
/// </summary>
public sealed class Backoff
{
    private static readonly object RandomLock = new();
    private static readonly Random SharedRandom = new();

    /// <summary>Creates a backoff doubling from <paramref name="baseDelay"/> up to <paramref name="maxDelay"/>.</summary>
    /// <param name="baseDelay">The ceiling of the first retry.</param>
    /// <param name="maxDelay">The largest ceiling.</param>
    /// <param name="fullJitter">True for a random delay under the ceiling; false to wait the ceiling itself.</param>
    public Backoff(TimeSpan baseDelay, TimeSpan maxDelay, bool fullJitter = true)
    {
        if (baseDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(baseDelay), baseDelay, "The base delay cannot be negative.");
        if (maxDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, "The largest delay cannot be negative.");
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        FullJitter = fullJitter;
    }

    /// <summary>The ceiling of the first retry.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The largest ceiling (it wins over a longer <see cref="BaseDelay"/>).</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>True when the delay is a random point under the ceiling.</summary>
    public bool FullJitter { get; }

    /// <summary>The ceiling before retry number <paramref name="retry"/> (1 = the first retry).</summary>
    public TimeSpan Ceiling(int retry)
    {
        if (retry < 1) throw new ArgumentOutOfRangeException(nameof(retry), retry, "The first retry is number 1.");
        var ceiling = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 62));
        return TimeSpan.FromMilliseconds(Math.Min(ceiling, MaxDelay.TotalMilliseconds));
    }

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1 = the first retry): the server's
    /// <paramref name="retryAfter"/> when it sent one (a negative one counts as zero), else the jittered ceiling.
    /// </summary>
    public TimeSpan Delay(int retry, TimeSpan? retryAfter = null)
    {
        var ceiling = Ceiling(retry);
        if (retryAfter is { } serverDelay) return serverDelay < TimeSpan.Zero ? TimeSpan.Zero : serverDelay;
        if (!FullJitter) return ceiling;
        double fraction;
        lock (RandomLock) fraction = SharedRandom.NextDouble();
        return TimeSpan.FromMilliseconds(ceiling.TotalMilliseconds * fraction);
    }
}
