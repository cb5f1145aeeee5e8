using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell;

/// <summary>A waited-for trigger ended FAILED, REJECTED or CANCELLED; carries the final record.</summary>
public sealed class TriggerEndedException : Exception
{
    /// <summary>Creates the exception from the final record.</summary>
    public TriggerEndedException(TriggerRecord record)
        : base(Describe(record))
    {
        Record = record;
    }

    /// <summary>The final record.</summary>
    public TriggerRecord Record { get; }

    /// <summary>The final status.</summary>
    public TriggerStatus Status => Record.Status;

    /// <summary>Why it ended, as the stack reported it.</summary>
    public string? StatusReason => Record.StatusReason;

    /// <summary>The job's exit code, when it ran.</summary>
    public int? ExitCode => Record.ExitCode;

    private static string Describe(TriggerRecord record)
    {
        var text = $"Trigger {record.TriggerId} (job '{record.JobName}') ended {record.Status}";
        if (!string.IsNullOrEmpty(record.StatusReason)) text += ": " + record.StatusReason;
        if (record.ExitCode is { } code) text += $" (exit code {code})";
        text += ".";
        if (!string.IsNullOrEmpty(record.LogLocation)) text += $" Log: {record.LogLocation}";
        return text;
    }
}
