namespace BatchPs.Core.Client;

/// <summary>How often a waiter polls a trigger: fast at first, doubling up to a cap.</summary>
public sealed class PollSchedule
{
    /// <summary>100 ms, doubling to at most 5 s.</summary>
    public static PollSchedule Default { get; } = new();

    /// <summary>The delay before the second poll (default 100 ms).</summary>
    public TimeSpan Initial { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between polls (default 5 s).</summary>
    public TimeSpan Max { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The delay after poll number <paramref name="poll"/> (1 = after the first poll).</summary>
    public TimeSpan DelayAfter(int poll)
    {
        if (poll < 1) throw new ArgumentOutOfRangeException(nameof(poll), poll, "The first poll is number 1.");
        var ms = Initial.TotalMilliseconds * Math.Pow(2, Math.Min(poll - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, Max.TotalMilliseconds));
    }
}
