using System.Text.Json;
using BatchPs.LocalStack.Storage;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// How a job moves to a status: stored durably (unless told not to), then published to its watchers, to its array
/// parent (for a child) and to the change listener — the local twin of AWS Batch's "Batch Job State Change" events.
/// </summary>
internal sealed class JobStatusChanges
{
    private readonly BatchJobStore _store;
    private readonly Func<string, Task>? _listener;
    private readonly ILogger _logger;

    /// <summary>
    /// <paramref name="listener"/>, when given, hears every status change of a job (not of array children) as its
    /// camelCase detail JSON, in order; its failures are logged, never fail the job.
    /// </summary>
    public JobStatusChanges(BatchJobStore store, Func<string, Task>? listener, ILogger logger)
    {
        _store = store;
        _listener = listener;
        _logger = logger;
    }

    /// <summary>Moves the job to a status: stored durably (unless <paramref name="store"/> is false), then published to watchers and the array parent.</summary>
    public async Task SetAsync(TrackedJob job, string status, string? statusReason, bool store = true)
    {
        job.Detail.Status = status;
        job.Detail.StatusReason = statusReason;
        var detailJson = job.Serialize();
        if (store) await _store.UpdateAsync(job.JobId, status, detailJson, JsonSerializer.Serialize(job.Spec, LocalJson.Options)).ConfigureAwait(false);
        job.Publish(detailJson);
        if (job.Parent is not null && job.Detail.ArrayProperties?.Index is int index) job.Parent.Set(index, status);
        await NotifyAsync(job, detailJson).ConfigureAwait(false);
    }

    /// <summary>Tells the change listener (if any) of a job's new detail; array children are reported through their parent's counts.</summary>
    public async Task NotifyAsync(TrackedJob job, string detailJson)
    {
        if (_listener is null || job.Parent is not null) return;
        try
        {
            await _listener(detailJson).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Job {JobId}: its status change to {Status} could not be forwarded.", job.JobId, job.Detail.Status);
        }
    }
}
