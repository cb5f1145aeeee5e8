using System.Text.Json;
using BatchPs.Core.Batch;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// Applies a "Batch Job State Change" event to its trigger: the job's name names the record (Core's
/// <see cref="BatchJobUpdates.TriggerIdOf"/>; the <c>BatchPsTriggerId</c> tag is a second source); the status, status reason, attempts and array child counts are written forward-only,
/// so a late event never moves a record back. Other jobs are not BatchPs jobs: ignored.
/// </summary>
public sealed class BatchEventHandler
{
    private readonly ITriggerStatusWriter _status;
    private readonly TextWriter _log;

    /// <summary>Creates the handler.</summary>
    public BatchEventHandler(ITriggerStatusWriter status, TextWriter log)
    {
        _status = status;
        _log = log;
    }

    /// <summary>Handles one event; true when a record changed.</summary>
    public async Task<bool> HandleAsync(JsonElement batchEvent, CancellationToken cancellationToken)
    {
        var job = BatchJobStateChange.Parse(batchEvent);
        var triggerId = BatchJobUpdates.TriggerIdOf(job);
        if (triggerId is null || BatchJobUpdates.ToUpdate(triggerId, job) is not { } update)
        {
            _log.WriteLine($"ignored Batch event for job {job.JobId} ({job.Status}): not a job BatchPs named (nor tagged {WorkflowInput.TriggerIdTag}), or an unknown status");
            return false;
        }
        var applied = await _status.ApplyAsync(update, cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"{update} {(applied ? "applied" : "not applied (record already at or past it)")}");
        return applied;
    }
}
