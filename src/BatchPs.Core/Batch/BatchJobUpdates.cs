using System.Text.Json;
using BatchPs.Triggers;
using BatchPs.Workflow;

namespace BatchPs.Batch;

/// <summary>
/// Turns Batch job data into trigger status writes, for the cloud (the Lambda on "Batch Job State
/// Change" events) and the local stack (its runner's job descriptions) alike. The writes are
/// forward-only at the store, so the order events arrive in does not matter.
/// </summary>
public static class BatchJobUpdates
{
    /// <summary>The trigger a Batch job belongs to: its <see cref="WorkflowInput.TriggerIdTag"/> tag; null when it has none.</summary>
    public static string? TriggerIdOf(BatchJobDetail job) =>
        job.Tags.TryGetValue(WorkflowInput.TriggerIdTag, out var id) && id.Length > 0 ? id : null;

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
    public static TriggerUpdate? ToUpdate(string triggerId, BatchJobDetail job)
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

    /// <summary>
    /// The write for a failed <c>batch:submitJob.sync</c> task, from the Step Functions error name and
    /// <c>Cause</c>. When the job ran and failed (<c>States.TaskFailed</c>) the Cause is the job
    /// description as JSON: status reason, exit code and log stream come from it. Otherwise (the
    /// job could not be submitted, a timeout) the reason is the error and the Cause text.
    /// </summary>
    public static TriggerUpdate FromSubmitJobFailure(string triggerId, string? error, string? cause)
    {
        if (cause is { Length: > 0 } && cause.TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            try
            {
                using var document = JsonDocument.Parse(cause);
                var job = BatchJobDetail.Parse(document.RootElement);
                if (job.Status is not null || job.JobId is not null)
                {
                    job.Status = "FAILED";
                    job.StatusReason ??= error;
                    return ToUpdate(triggerId, job)!;
                }
            }
            catch (JsonException)
            {
                // Not a job description: fall through to the plain reason.
            }
        }
        var reason = string.IsNullOrEmpty(cause) ? error ?? "The job failed." : (string.IsNullOrEmpty(error) ? cause! : $"{error}: {cause}");
        return new TriggerUpdate(triggerId, TriggerStatus.FAILED) { StatusReason = reason };
    }
}
