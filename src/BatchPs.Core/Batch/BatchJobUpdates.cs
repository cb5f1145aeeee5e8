using System.Text.Json;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Core.Batch;

/// <summary>
/// Turns Batch job data into trigger status writes, for the cloud (the Lambda on "Batch Job State
/// Change" events) and the local stack (its runner's job descriptions) alike. The writes are
/// forward-only at the store, so the order events arrive in does not matter.
/// </summary>
public static class BatchJobUpdates
{
    /// <summary>
    /// The trigger a Batch job belongs to: read from its name (<see cref="ExecutionNames.BatchJobName"/>; the documented
    /// "Batch Job State Change" event carries the name, and its <c>tags</c> only as far as the sample shows,
    /// <c>resourceArn</c>), else from its <see cref="WorkflowInput.TriggerIdTag"/> tag when present (a trigger id the name
    /// holds only hashed); null for a job BatchPs did not submit.
    /// </summary>
    public static string? TriggerIdOf(BatchJobSummary job)
    {
        if (ExecutionNames.ExecutionNameOfBatchJob(job.JobName) is { } execution && ExecutionNames.TriggerIdOfExecution(execution) is { } id)
            return id;
        return job.Tags.TryGetValue(WorkflowInput.TriggerIdTag, out var tagged) && tagged.Length > 0 ? tagged : null;
    }

    /// <summary>The trigger status of a Batch status name; null for a name Batch does not define.</summary>
    public static TriggerStatus? StatusOf(string? batchStatus) => batchStatus switch
    {
        "SUBMITTED" => TriggerStatus.SUBMITTED,
        "PENDING" => TriggerStatus.PENDING,
        "RUNNABLE" => TriggerStatus.RUNNABLE,
        "STARTING" => TriggerStatus.STARTING,
        "RUNNING" => TriggerStatus.RUNNING,
        "SUCCEEDED" => TriggerStatus.SUCCEEDED,
        "FAILED" => TriggerStatus.FAILED,
        _ => null,
    };

    /// <summary>
    /// The write a job description asks for; null when its status is not a Batch status.
    /// Exit code and stop time are taken only once the job ended (an attempt's exit code is not the job's).
    /// </summary>
    public static TriggerUpdate? ToUpdate(string triggerId, BatchJobSummary job)
    {
        if (StatusOf(job.Status) is not { } status) return null;
        var ended = TriggerStatusOrder.IsFinal(status);
        return new TriggerUpdate(triggerId, status)
        {
            StatusReason = job.StatusReason,
            BatchJobId = job.JobId,
            StartedAt = job.StartedAt,
            StoppedAt = ended ? job.StoppedAt : null,
            ExitCode = ended ? job.ExitCode : null,
            LogLocation = job.LogStreamName,
            Attempts = job.Attempts is > 0 ? job.Attempts : null,
            ArrayStatusSummary = job.ArrayStatusSummary,
        };
    }
}
