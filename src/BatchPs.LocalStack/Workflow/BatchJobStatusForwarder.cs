using System.Text.Json;
using BatchPs.Core.Batch;
using BatchPs.Core.Workflow;

namespace BatchPs.LocalStack.Workflow;

/// <summary>
/// The local twin of the cloud Lambda's "Batch Job State Change" path: a local Batch job's new detail
/// (camelCase, as DescribeJobs) -> <see cref="BatchJobUpdates"/> -> the forward-only status writer, so
/// RUNNABLE, STARTING and RUNNING (with reason, start, log, array counts) reach the trigger as in the cloud.
/// </summary>
internal sealed class BatchJobStatusForwarder
{
    private readonly ITriggerStatusWriter _status;

    public BatchJobStatusForwarder(ITriggerStatusWriter status)
    {
        _status = status;
    }

    /// <summary>Applies one job change to its trigger (jobs without the trigger tag are not BatchPs jobs: ignored).</summary>
    public async Task ForwardAsync(string detailJson)
    {
        using var document = JsonDocument.Parse(detailJson);
        var job = BatchJobSummary.Parse(document.RootElement);
        if (BatchJobUpdates.TriggerIdOf(job) is not { } triggerId || BatchJobUpdates.ToUpdate(triggerId, job) is not { } update) return;
        await _status.ApplyAsync(update, CancellationToken.None).ConfigureAwait(false);
    }
}
