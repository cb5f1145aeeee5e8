namespace BatchPs.Core.Client;

/// <summary>A failed attempt that will be retried: what failed, how long the client waits, and since when it tries.</summary>
public sealed class TriggerRetry
{
    /// <summary>Creates the notice.</summary>
    public TriggerRetry(int attempt, TimeSpan delay, TimeSpan elapsed, BatchTriggerException failure)
    {
        Attempt = attempt;
        Delay = delay;
        Elapsed = elapsed;
        Failure = failure;
    }

    /// <summary>The attempt that failed (1 = the first).</summary>
    public int Attempt { get; }

    /// <summary>The wait before the next attempt.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Time since the first attempt began.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Why the attempt failed.</summary>
    public BatchTriggerException Failure { get; }
}
