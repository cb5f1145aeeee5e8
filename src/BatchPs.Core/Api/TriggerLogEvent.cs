namespace BatchPs.Core.Api;

/// <summary>One line of a job's log: when the job wrote it and what.</summary>
public sealed class TriggerLogEvent
{
    /// <summary>When the line was written (UTC).</summary>
    public DateTimeOffset Timestamp { get; set; }
    /// <summary>The line, without its line break.</summary>
    public string Message { get; set; } = "";
}
