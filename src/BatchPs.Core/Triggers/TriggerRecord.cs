namespace BatchPs.Core.Triggers;

/// <summary>
/// One trigger: what was asked for and where it is. The same shape is stored locally (SQLite), in
/// DynamoDB, and returned by <c>POST /triggers</c> and <c>GET /triggers/{id}</c>.
/// </summary>
public sealed class TriggerRecord
{
    /// <summary>Opaque id, 1-80 characters of <c>0-9A-Za-z-_</c> (usable as an execution name).</summary>
    public string TriggerId { get; set; } = "";
    /// <summary>The catalog job name.</summary>
    public string JobName { get; set; } = "";
    /// <summary>Free label of the caller (server, scheduler, script).</summary>
    public string? Client { get; set; }
    /// <summary>Job parameters the trigger passed (the catalog's defaults are applied when the job is submitted).</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>SubmitJob fields the trigger overrides, where the catalog allows it.</summary>
    public TriggerOverrides? Overrides { get; set; }
    /// <summary>The idempotency key: the same key twice gives this same trigger.</summary>
    public string IdempotencyKey { get; set; } = "";
    /// <summary>Current status.</summary>
    public TriggerStatus Status { get; set; }
    /// <summary>Why the trigger is in its status (RUNNABLE reason, failure reason, rejection reason).</summary>
    public string? StatusReason { get; set; }
    /// <summary>When the trigger was accepted (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the record last changed (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the record entered its current status (UTC).</summary>
    public DateTimeOffset StatusChangedAt { get; set; }
    /// <summary>When the job's process (container) started.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>When the job's process (container) stopped.</summary>
    public DateTimeOffset? StoppedAt { get; set; }
    /// <summary>The workflow execution: a Step Functions execution ARN, or the local execution id.</summary>
    public string? ExecutionId { get; set; }
    /// <summary>The Batch job id (locally: the local run id).</summary>
    public string? BatchJobId { get; set; }
    /// <summary>Exit code of the job's last attempt, once it ended.</summary>
    public int? ExitCode { get; set; }
    /// <summary>Where the job's output is: a CloudWatch log stream, or a local log file path.</summary>
    public string? LogLocation { get; set; }
    /// <summary>Attempts made so far (retries included).</summary>
    public int? Attempts { get; set; }
    /// <summary>For array jobs: child job counts by Batch status.</summary>
    public Dictionary<string, int>? ArrayStatusSummary { get; set; }
    /// <summary>Who cancelled the trigger (the client label of <c>POST /triggers/{id}/cancel</c>); null when it was not cancelled or gave none.</summary>
    public string? CancelledBy { get; set; }
    /// <summary>When <c>POST /triggers/{id}/cancel</c> made the trigger CANCELLED (UTC); null when it was not cancelled.</summary>
    public DateTimeOffset? CancelRequestedAt { get; set; }
    /// <summary>Incremented on every write; used for conditional writes.</summary>
    public long Version { get; set; }

    /// <summary>True when the status is final.</summary>
    public bool IsFinal => TriggerStatusOrder.IsFinal(Status);
}
