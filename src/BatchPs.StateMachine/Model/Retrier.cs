namespace BatchPs.StateMachine.Model;

/// <summary>One element of a Retry field (states-language.net "Retrying after error").</summary>
public sealed class Retrier
{
    /// <summary>Error names this retrier matches.</summary>
    public required IReadOnlyList<string> ErrorEquals { get; init; }

    /// <summary>Seconds before the first retry (default 1).</summary>
    public int IntervalSeconds { get; init; } = 1;

    /// <summary>Retries at most (default 3; 0 = never retry).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The multiplier of the interval at each attempt (default 2.0).</summary>
    public double BackoffRate { get; init; } = 2.0;

    /// <summary>Upper bound of the interval, in seconds, or null.</summary>
    public int? MaxDelaySeconds { get; init; }

    /// <summary>True for JitterStrategy FULL: the delay is drawn uniformly from [0, interval].</summary>
    public bool FullJitter { get; init; }

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based), before jitter.</summary>
    public TimeSpan Delay(int attempt)
    {
        var seconds = IntervalSeconds * Math.Pow(BackoffRate, attempt - 1);
        if (MaxDelaySeconds is { } max)
        {
            seconds = Math.Min(seconds, max);
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
