using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// Runs the jobs the local Batch owns: one run loop per job that is not final, at most <c>concurrency</c> attempts
/// at once (one local queue, in arrival order). A job waiting for a slot is RUNNABLE with the reason; a failure to
/// store a change is retried by <see cref="JobStatusChanges"/>, and an unexpected failure of the runner itself ends
/// the attempt it interrupted. The local Batch's stop cancels the loops (running attempts' process trees are killed
/// and left RUNNING for the restart to settle); <see cref="DisposeAsync"/> waits for them.
/// </summary>
internal sealed class JobScheduler : IAsyncDisposable
{
    /// <summary>Status reason of an attempt the runner itself failed in (not a store failure: those are retried).</summary>
    public const string RunnerFailedReason = "The local stack failed while running this attempt (see its console); the attempt was stopped.";

    private readonly int _concurrency;
    private readonly SemaphoreSlim _slots;
    private readonly AttemptRunner _attempts;
    private readonly ArrayJobs _arrays;
    private readonly JobStatusChanges _status;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TrackedJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _loops = new();
    private readonly CancellationToken _stopping;

    public JobScheduler(int concurrency, AttemptRunner attempts, ArrayJobs arrays, JobStatusChanges status, ILogger logger, CancellationToken stopping)
    {
        _stopping = stopping;
        _concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _attempts = attempts;
        _arrays = arrays;
        _status = status;
        _logger = logger;
    }

    /// <summary>The job's live state while the scheduler runs it (it is not final), else false.</summary>
    public bool TryGet(string jobId, out TrackedJob job) => _jobs.TryGetValue(jobId, out job!);

    /// <summary>Starts the job's run loop: attempts for a job or array child, following its children for an array parent.</summary>
    public void Run(TrackedJob job)
    {
        _jobs[job.JobId] = job;
        var loop = Task.Run(async () =>
        {
            try
            {
                if (job.Array is null) await RunAttemptsAsync(job).ConfigureAwait(false);
                else await _arrays.RunParentAsync(job, _stopping).ConfigureAwait(false);
            }
            finally
            {
                _jobs.TryRemove(job.JobId, out _);
            }
        });
        _loops[loop] = true;
        loop.ContinueWith(t => _loops.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>The jobs being run (not final) whose detail satisfies <paramref name="match"/>.</summary>
    public IReadOnlyList<TrackedJob> Find(Func<BatchJobDetail, bool> match) => _jobs.Values.Where(j => match(j.Detail)).ToList();

    /// <summary>Waits for every run loop to end (after the stop token was cancelled).</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_loops.Keys).ConfigureAwait(false);
    }

    private async Task RunAttemptsAsync(TrackedJob job)
    {
        var stopping = _stopping;
        var delay = new RetryDelay();
        try
        {
            var again = true;
            while (again && !stopping.IsCancellationRequested)
            {
                try
                {
                    // An attempt the runner failed in midway (its process is killed; see the log below) counts as failed.
                    if (job.Detail.Status is BatchJobStatus.Starting or BatchJobStatus.Running)
                    {
                        again = await _attempts.EndAsync(job, exitCode: null, RunnerFailedReason, containerReason: null).ConfigureAwait(false);
                        continue;
                    }
                    if (job.TerminationReason is not null)
                    {
                        again = await _attempts.EndTerminatedAsync(job).ConfigureAwait(false);
                        continue;
                    }
                    if (!_slots.Wait(0))
                    {
                        // Not stored: for a restart, waiting for a slot and SUBMITTED are the same (not started).
                        await _status.SetAsync(job, BatchJobStatus.Runnable, $"Waiting for a free slot: all {_concurrency} slots of the local stack are busy (set --concurrency to run more at once).", store: false).ConfigureAwait(false);
                        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, job.Terminated);
                        try
                        {
                            await _slots.WaitAsync(either.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                        {
                            continue; // Terminated while queued: ended above, without a slot.
                        }
                    }
                    try
                    {
                        // A slot freed by a stop must not start a new attempt.
                        stopping.ThrowIfCancellationRequested();
                        again = await _attempts.RunAsync(job, stopping).ConfigureAwait(false);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested && ex is not OperationCanceledException)
                {
                    _logger.LogError(ex, "Job {JobId}: the local Batch failed while running it; going on in {Delay} ms.", job.JobId, delay.Next.TotalMilliseconds);
                    await delay.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the job stays as stored and the restart picks it up; an attempt in progress (its processes are
            // killed by now) is marked as stopped by the shutdown, so the restart runs it again rather than failing it.
            if (job.Detail.Status is BatchJobStatus.Starting or BatchJobStatus.Running)
            {
                try
                {
                    await _attempts.RecordStoppedByShutdownAsync(job).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _logger.LogWarning(ex, "Job {JobId}: could not record that the stop interrupted its attempt; the next start settles it as an interrupted attempt.", job.JobId);
                }
            }
        }
        catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
        {
            // The database closed while stopping.
        }
    }
}
