using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BatchPs.Core.Catalog;
using BatchPs.Core.Json;
using BatchPs.Core.Workflow;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Storage;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// The local stand-in for AWS Batch, as its API: SubmitJob (idempotent by token), DescribeJobs, and a way to watch a
/// job's status. Jobs are rows of <see cref="BatchJobStore"/>; <see cref="JobScheduler"/> runs them within the
/// concurrency limit, <see cref="AttemptRunner"/> runs each attempt as local processes, <see cref="ArrayJobs"/> fans
/// array jobs out and follows them, <see cref="JobRecovery"/> settles what a stop or crash left.
/// Statuses: SUBMITTED -> RUNNABLE (waiting for a slot) -> STARTING -> RUNNING -> SUCCEEDED | FAILED,
/// back to RUNNABLE between attempts.
/// </summary>
internal sealed class LocalBatch : IAsyncDisposable
{
    private int _disposed;
    private readonly LocalJobCatalog _catalog;
    private readonly BatchJobStore _store;
    private readonly JobStatusChanges _status;
    private readonly ArrayJobs _arrays;
    private readonly JobScheduler _scheduler;
    private readonly JobRecovery _recovery;
    private readonly AttemptRunner _attempts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, string> _terminatedTriggers = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the local Batch. <paramref name="changed"/>, when given, hears every status change of a job
    /// (not of array children) as its camelCase detail JSON, in order — the local twin of AWS Batch's
    /// "Batch Job State Change" events; its failures are logged, never fail the job.
    /// </summary>
    public LocalBatch(LocalDatabase database, LocalJobCatalog catalog, string dataDirectory, int concurrency, ILogger logger, Func<string, Task>? changed = null)
    {
        _catalog = catalog;
        _store = new BatchJobStore(database);
        _status = new JobStatusChanges(_store, changed, logger, _stopping.Token);
        var attempts = _attempts = new AttemptRunner(_status, dataDirectory);
        _arrays = new ArrayJobs(_status, attempts, _store, logger);
        _scheduler = new JobScheduler(concurrency, attempts, _arrays, _status, logger, _stopping.Token);
        _recovery = new JobRecovery(_store, _arrays, attempts, _scheduler, _status);
    }

    /// <summary>
    /// Settles what a stop or crash left (see <see cref="JobRecovery"/>). Call once, before anything else uses the runner.
    /// The jobs of <paramref name="cancelledTriggers"/> (trigger id: cancel reason; cancels a stop or crash cut short)
    /// are terminated as TerminateTrigger does: a surviving process tree is killed and the job ends FAILED, never re-run.
    /// Its stores wait for a full disk like every status change; <paramref name="cancellationToken"/> (the host's start)
    /// gives up, which stops the local Batch.
    /// </summary>
    public async Task<(int Interrupted, int StoppedByShutdown, int Queued)> RecoverAsync(IReadOnlyDictionary<string, string>? cancelledTriggers = null,
        CancellationToken cancellationToken = default)
    {
        foreach (var (triggerId, reason) in cancelledTriggers ?? new Dictionary<string, string>()) _terminatedTriggers.TryAdd(triggerId, reason);
        using var giveUp = cancellationToken.Register(_stopping.Cancel);
        return await _recovery.RecoverAsync(detail => TriggerOf(detail) is { } id && _terminatedTriggers.TryGetValue(id, out var reason) ? reason : null).ConfigureAwait(false);
    }

    /// <summary>
    /// SubmitJob: stores the job durably (SUBMITTED) and queues it. The same <paramref name="idempotencyToken"/>
    /// again returns the job already submitted (never a second one). Throws <see cref="BatchClientException"/> for a request it cannot run.
    /// </summary>
    public async Task<string> SubmitJobAsync(SubmitJobRequest request, string? idempotencyToken = null)
    {
        if (string.IsNullOrWhiteSpace(request.JobName))
            throw new BatchClientException("SubmitJob needs a JobName.");
        var entry = _catalog.Find(request.JobDefinition)
            ?? throw new BatchClientException($"Job definition '{request.JobDefinition}' is not in the local catalog '{_catalog.FilePath}'. Locally the job definition is the catalog entry's name.");
        if (entry.Command is not { Count: > 0 })
            throw new BatchClientException($"Catalog entry '{entry.Name}' has no command to run.");
        if (request.ArrayProperties?.Size is < 2 or > 10000)
            throw new BatchClientException($"ArrayProperties.Size {request.ArrayProperties.Size} is out of range: an array job has 2 to 10,000 children.");

        var parameters = JobCatalogRules.EffectiveParameters(entry, request.Parameters ?? new Dictionary<string, string>());
        var workingDirectory = entry.WorkingDirectory is null ? null : Path.GetFullPath(entry.WorkingDirectory, _catalog.BaseDirectory);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var detail = new BatchJobDetail
        {
            JobId = Guid.NewGuid().ToString(),
            JobName = request.JobName,
            JobQueue = string.IsNullOrEmpty(request.JobQueue) ? "local" : request.JobQueue,
            JobDefinition = entry.Name,
            Status = BatchJobStatus.Submitted,
            CreatedAt = now,
            Parameters = parameters,
            Tags = request.Tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(request.Tags, StringComparer.Ordinal),
            Container = new BatchContainerDetail { Command = JobCommand.Resolve(entry.Command, parameters, workingDirectory ?? _catalog.BaseDirectory) },
            Timeout = (request.Timeout?.AttemptDurationSeconds ?? entry.TimeoutSeconds) is int seconds ? new JobTimeout { AttemptDurationSeconds = seconds } : null,
            RetryStrategy = request.RetryStrategy ?? entry.RetryStrategy,
            ShareIdentifier = request.ShareIdentifier,
            SchedulingPriority = request.SchedulingPriorityOverride,
        };
        var spec = new BatchJobSpec
        {
            Environment = entry.Environment is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(entry.Environment, StringComparer.Ordinal),
            WorkingDirectory = workingDirectory,
        };
        var job = new TrackedJob(detail, spec);
        var children = request.ArrayProperties?.Size is int size ? _arrays.FanOut(job, size) : Array.Empty<TrackedJob>();

        var jobs = new[] { job }.Concat(children).ToList();
        var rows = jobs.Select(j => new BatchJobStore.NewJob(j.JobId, j.Detail.JobName, j.Parent is null ? null : detail.JobId, j.Detail.Status,
            j.Detail.CreatedAt, j.Serialize(), JsonSerializer.Serialize(j.Spec, LocalJson.Options))).ToList();
        var existing = await _store.InsertAsync(rows, idempotencyToken).ConfigureAwait(false);
        if (existing is not null) return existing;
        for (var i = 0; i < jobs.Count; i++) jobs[i].Publish(rows[i].Detail);
        foreach (var child in children) _scheduler.Run(child);
        _scheduler.Run(job);
        // After Run, against TerminateTrigger's mark-then-scan: one of the two sees the other, so a job submitted while
        // its trigger is being cancelled is terminated either way.
        if (TriggerOf(detail) is { } triggerId && _terminatedTriggers.TryGetValue(triggerId, out var reason))
        {
            foreach (var each in jobs) each.Terminate(reason);
        }
        // After the start, so the first attempt does not wait for it; the writes are forward only, so a later status may land first.
        await _status.NotifyAsync(job, rows[0].Detail).ConfigureAwait(false);
        return detail.JobId;
    }

    /// <summary>DescribeJobs for one job; null when there is no such job.</summary>
    public BatchJobDetail? DescribeJob(string jobId)
    {
        if (_scheduler.TryGet(jobId, out var job)) return Read<BatchJobDetail>(job.Snapshot().Json);
        return _store.FindDetail(jobId) is { } json ? Read<BatchJobDetail>(json) : null;
    }

    /// <summary>The log file of a job's attempt (1-based); it exists once the attempt started.</summary>
    public string AttemptLogPath(string jobId, int attempt) =>
        Path.Combine(_attempts.LogFolder(jobId), "attempt-" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".log");

    /// <summary>The job's detail now and after each change, until it is final.</summary>
    public async IAsyncEnumerable<BatchJobDetail> WatchAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_scheduler.TryGet(jobId, out var job))
        {
            // Not tracked: final (a job leaves the scheduler only after its final status is stored), or the runner is stopping.
            var stored = DescribeJob(jobId) ?? throw new BatchClientException($"No job has id '{jobId}'.");
            if (!BatchJobStatus.IsFinal(stored.Status))
                throw new InvalidOperationException($"Job '{jobId}' is {stored.Status} but not running; the local stack is stopping.");
            yield return stored;
            yield break;
        }
        while (true)
        {
            var (json, changed) = job.Snapshot();
            var detail = Read<BatchJobDetail>(json);
            yield return detail;
            if (BatchJobStatus.IsFinal(detail.Status)) yield break;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// TerminateJob for every job of a trigger (array children included; found by the trigger-id tag), now and for any
    /// submitted later while this stack runs: a running attempt's process tree is killed before this returns, a queued
    /// job never starts, and each ends FAILED with "Terminated: <paramref name="reason"/>" and no retry. Returns how
    /// many jobs it terminated now.
    /// </summary>
    public int TerminateTrigger(string triggerId, string reason)
    {
        _terminatedTriggers.TryAdd(triggerId, reason);
        var jobs = _scheduler.Find(detail => TriggerOf(detail) == triggerId);
        foreach (var job in jobs) job.Terminate(reason);
        return jobs.Count;
    }

    private static string? TriggerOf(BatchJobDetail detail) =>
        detail.Tags.TryGetValue(WorkflowInput.TriggerIdTag, out var id) ? id : null;

    /// <summary>
    /// Stops: kills running attempts' process trees (left RUNNING, marked as stopped by the shutdown, for the restart to
    /// run again) and waits for the run loops.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
        _stopping.Dispose();
    }

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, BatchPsJson.Lenient)!;
}
