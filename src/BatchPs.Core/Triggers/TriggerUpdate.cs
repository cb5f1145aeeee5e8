namespace BatchPs.Core.Triggers;

/// <summary>
/// A status write. Stores apply it only when <see cref="TriggerStatusOrder.CanApply"/> allows the move
/// from the record's current status; null fields leave the record's value unchanged.
/// </summary>
public sealed class TriggerUpdate
{
    /// <summary>Creates an update of one trigger to a status.</summary>
    public TriggerUpdate(string triggerId, TriggerStatus status)
    {
        TriggerId = triggerId;
        Status = status;
    }

    /// <summary>The trigger to update.</summary>
    public string TriggerId { get; }
    /// <summary>The status to move to.</summary>
    public TriggerStatus Status { get; }
    /// <summary>New status reason.</summary>
    public string? StatusReason { get; set; }
    /// <summary>Workflow execution id.</summary>
    public string? ExecutionId { get; set; }
    /// <summary>Batch job id.</summary>
    public string? BatchJobId { get; set; }
    /// <summary>Exit code.</summary>
    public int? ExitCode { get; set; }
    /// <summary>Log location.</summary>
    public string? LogLocation { get; set; }
    /// <summary>When the job's process started.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>When the job's process stopped.</summary>
    public DateTimeOffset? StoppedAt { get; set; }
    /// <summary>Attempts made.</summary>
    public int? Attempts { get; set; }
    /// <summary>Array job child counts by status.</summary>
    public Dictionary<string, int>? ArrayStatusSummary { get; set; }
    /// <summary>Who cancelled the trigger (a cancel's client label).</summary>
    public string? CancelledBy { get; set; }
    /// <summary>When the cancel was asked for.</summary>
    public DateTimeOffset? CancelRequestedAt { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{TriggerId} -> {Status}" + (StatusReason is null ? "" : $" ({StatusReason})");
}
