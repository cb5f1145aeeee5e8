using System.Text.Json;
using BatchPs.LocalStack.Storage;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// How a job moves to a status: stored durably (unless told not to), then published to its watchers, to its array
/// parent (for a child) and to the change listener — the local twin of AWS Batch's "Batch Job State Change" events.
/// A store that fails (a full disk, an I/O error) is bookkeeping: it is retried with a backoff until it succeeds or
/// the local Batch stops, and the job waits for it — it never becomes an outcome of the job, never a new attempt, and
/// no watcher sees a status before it is durable. A stop while retrying leaves the job as last stored, for the next
/// start to settle.
/// </summary>
internal sealed class JobStatusChanges
{
    private readonly BatchJobStore _store;
    private readonly Func<string, Task>? _listener;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    /// <summary>
    /// <paramref name="listener"/>, when given, hears every status change of a job (not of array children) as its
    /// camelCase detail JSON, in order; its failures are logged, never fail the job.
    /// </summary>
    public JobStatusChanges(BatchJobStore store, Func<string, Task>? listener, ILogger logger, CancellationToken stopping)
    {
        _store = store;
        _listener = listener;
        _logger = logger;
        _stopping = stopping;
    }

    /// <summary>
    /// Moves the job to a status: stored durably (unless <paramref name="store"/> is false; retried until it is), then
    /// published to watchers and the array parent. Throws <see cref="OperationCanceledException"/> only when the local
    /// Batch stops before the status could be stored.
    /// </summary>
    public async Task SetAsync(TrackedJob job, string status, string? statusReason, bool store = true)
    {
        job.Detail.Status = status;
        job.Detail.StatusReason = statusReason;
        var detailJson = job.Serialize();
        if (store) await StoreAsync(job, detailJson).ConfigureAwait(false);
        job.Publish(detailJson);
        if (job.Parent is not null && job.Detail.ArrayProperties?.Index is int index) job.Parent.Set(index, status);
        await NotifyAsync(job, detailJson).ConfigureAwait(false);
    }

    /// <summary>Stores the job's current detail and spec once (no retry, nothing published): for the stop's own notes.</summary>
    public Task StoreOnceAsync(TrackedJob job) =>
        _store.UpdateAsync(job.JobId, job.Detail.Status, job.Serialize(), JsonSerializer.Serialize(job.Spec, LocalJson.Options));

    private async Task StoreAsync(TrackedJob job, string detailJson)
    {
        var specJson = JsonSerializer.Serialize(job.Spec, LocalJson.Options);
        var delay = new RetryDelay();
        while (true)
        {
            try
            {
                await _store.UpdateAsync(job.JobId, job.Detail.Status, detailJson, specJson).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (_stopping.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Job {job.JobId}: the local Batch stopped before its change to {job.Detail.Status} was stored.", ex, _stopping);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Job {JobId}: its change to {Status} could not be stored; the job waits and it is stored again in {Delay} ms (the attempt is not repeated).",
                    job.JobId, job.Detail.Status, delay.Next.TotalMilliseconds);
            }
            await delay.WaitAsync(_stopping).ConfigureAwait(false);
        }
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
