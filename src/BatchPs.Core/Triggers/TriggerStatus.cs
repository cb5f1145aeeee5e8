namespace BatchPs.Core.Triggers;

/// <summary>Where a trigger is. A status only ever moves forward (see <see cref="TriggerStatusOrder"/>).</summary>
public enum TriggerStatus
{
    /// <summary>Accepted and durably stored; no workflow yet.</summary>
    RECEIVED,
    /// <summary>The workflow (state machine execution) started.</summary>
    STARTED,
    /// <summary>The job was submitted to the job queue.</summary>
    SUBMITTED,
    /// <summary>Batch: waiting for dependencies.</summary>
    PENDING,
    /// <summary>Batch: waiting for compute capacity.</summary>
    RUNNABLE,
    /// <summary>Batch: placed on compute, starting.</summary>
    STARTING,
    /// <summary>The job's process is running.</summary>
    RUNNING,
    /// <summary>The job ended with exit code 0.</summary>
    SUCCEEDED,
    /// <summary>The job ended with a non-zero exit code, a timeout, or could not run.</summary>
    FAILED,
    /// <summary>The trigger was refused: unknown job or invalid parameters.</summary>
    REJECTED,
    /// <summary>The trigger was cancelled before it finished.</summary>
    CANCELLED,
}
