using BatchPs.Core.Client;
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

    // Each fact once: the reason often says the exit code and the log already.
    private static string Describe(TriggerRecord record)
    {
        var reason = (record.StatusReason?.Trim() ?? "").TrimEnd('.');
        var text = $"Trigger {record.TriggerId} (job '{record.JobName}') ended {record.Status}" + (reason.Length > 0 ? ": " + reason : "");
        if (record.ExitCode is { } code && !System.Text.RegularExpressions.Regex.IsMatch(reason, $@"\bcode {code}\b"))
            text += $" (exit code {code})";
        var log = string.IsNullOrEmpty(record.LogLocation) || reason.Contains(record.LogLocation!) ? null : $"Log: {record.LogLocation}";
        return MessageText.Sentence(text) + (log is null ? "" : " " + log);
    }
}
