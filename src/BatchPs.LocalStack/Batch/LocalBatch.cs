using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BatchPs.Core.Catalog;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Storage;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using BatchPs.Core.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// The local stand-in for AWS Batch: SubmitJob (idempotent by token), DescribeJobs, and a way to watch a
/// job's status. Jobs are rows of the database; each runs as local processes (one per attempt) within
/// a concurrency limit, with the attempt timeout, the retry strategy and a log file per attempt.
/// Statuses: SUBMITTED -> RUNNABLE (waiting for a slot) -> STARTING -> RUNNING -> SUCCEEDED | FAILED,
/// back to RUNNABLE between attempts. STARTING is committed before a process starts, so a restart
/// always knows an attempt may have been running.
/// </summary>
internal sealed class LocalBatch : IAsyncDisposable
{
    /// <summary>Status reason of an attempt the local stack's stop or crash interrupted, when its process was still alive at restart.</summary>
    public const string OrphanKilledReason = "The local stack stopped while this attempt was running; its process was still running at restart and was killed.";
    /// <summary>Status reason of an attempt the local stack's stop or crash interrupted, when its process was gone at restart.</summary>
    public const string VanishedReason = "The local stack stopped while this attempt was running; its process was gone at restart and its exit code is unknown.";
    /// <summary>AWS Batch's status reason for an attempt that ran past its timeout.</summary>
    public const string TimeoutReason = "Job attempt duration exceeded timeout";

    private readonly LocalDatabase _database;
    private readonly LocalJobCatalog _catalog;
    private readonly string _logDirectory;
    private readonly int _concurrency;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, TrackedJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _loops = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _findByToken;
    private readonly Func<string, Task>? _changed;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates the runner. <paramref name="changed"/>, when given, hears every status change of a job
    /// (not of array children) as its camelCase detail JSON, in order — the local twin of AWS Batch's
    /// "Batch Job State Change" events; its failures are logged, never fail the job.
    /// </summary>
    public LocalBatch(LocalDatabase database, LocalJobCatalog catalog, string dataDirectory, int concurrency, ILogger logger, Func<string, Task>? changed = null)
    {
        _logger = logger;
        _changed = changed;
        _database = database;
        _catalog = catalog;
        _logDirectory = Path.Combine(dataDirectory, "logs");
        _concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _insert = database.PrepareWrite(
            "INSERT INTO batch_jobs (job_id, job_name, parent_id, status, created_at, detail, spec, idempotency_token) VALUES ($id, $name, $parent, $status, $created, $detail, $spec, $token)",
            "$id", "$name", "$parent", "$status", "$created", "$detail", "$spec", "$token");
        _findByToken = database.PrepareWrite("SELECT job_id FROM batch_jobs WHERE idempotency_token = $token", "$token");
        _update = database.PrepareWrite(
            "UPDATE batch_jobs SET status = $status, detail = $detail, spec = $spec WHERE job_id = $id",
            "$status", "$detail", "$spec", "$id");
    }

    /// <summary>
    /// Settles what a stop or crash left: kills attempts' processes that outlived the stack, counts
    /// each interrupted attempt as failed (retried per the job's strategy), and queues every job not
    /// yet final. Call once, before anything else uses the runner.
    /// </summary>
    public async Task<(int Interrupted, int Queued)> RecoverAsync()
    {
        var pending = new List<TrackedJob>();
        using (var connection = _database.OpenRead())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT detail, spec FROM batch_jobs WHERE status NOT IN ('SUCCEEDED', 'FAILED') ORDER BY created_at";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                pending.Add(new TrackedJob(Read<BatchJobDetail>(reader.GetString(0)), Read<BatchJobSpec>(reader.GetString(1))));
        }
        if (pending.Count == 0) return (0, 0);

        // Array parents first: they must hear of every change of their children from now on.
        var byId = pending.ToDictionary(j => j.JobId, StringComparer.Ordinal);
        var parents = pending.Where(j => j.Detail.ArrayProperties is { Size: not null, Index: null }).ToList();
        foreach (var parent in parents)
        {
            var statuses = new string[parent.Detail.ArrayProperties!.Size!.Value];
            foreach (var (id, status) in ChildStatuses(parent.JobId))
            {
                var index = int.Parse(id[(id.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
                statuses[index] = status;
            }
            parent.Array = new ArrayParentState(statuses);
            for (var i = 0; i < statuses.Length; i++)
            {
                if (byId.TryGetValue(ChildId(parent.JobId, i), out var child)) child.Parent = parent.Array;
            }
        }

        var orphans = OrphanProcesses.ScanByJobId();
        int interrupted = 0, queued = 0;
        foreach (var job in pending.Where(j => j.Array is null))
        {
            var killed = await OrphanProcesses.KillAsync(
                orphans.TryGetValue(job.JobId, out var pids) ? pids : new List<int>(), job.Spec.Pid, job.Spec.PidStartedAt).ConfigureAwait(false);
            var attemptInProgress = job.Detail.Status is BatchJobStatus.Starting or BatchJobStatus.Running;
            if (attemptInProgress || killed > 0)
            {
                interrupted++;
                var reason = killed > 0 ? OrphanKilledReason : VanishedReason;
                if (!await EndAttemptAsync(job, exitCode: null, reason, containerReason: null).ConfigureAwait(false))
                    continue;
            }
            Run(job);
            queued++;
        }
        foreach (var parent in parents) Run(parent);
        return (interrupted, queued);
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
        var children = new List<TrackedJob>();
        if (request.ArrayProperties?.Size is int size)
        {
            job.Array = new ArrayParentState(Enumerable.Repeat(BatchJobStatus.Submitted, size).ToArray());
            detail.ArrayProperties = new BatchArrayProperties { Size = size, StatusSummary = job.Array.Summary() };
            detail.Container.LogStreamName = LogFolder(detail.JobId);
            for (var i = 0; i < size; i++)
            {
                var childDetail = Read<BatchJobDetail>(job.Serialize());
                childDetail.JobId = ChildId(detail.JobId, i);
                childDetail.ArrayProperties = new BatchArrayProperties { Index = i };
                childDetail.Container.LogStreamName = null;
                children.Add(new TrackedJob(childDetail, Read<BatchJobSpec>(JsonSerializer.Serialize(spec, LocalJson.Options))) { Parent = job.Array });
            }
        }

        var rows = new[] { job }.Concat(children).Select(j => (Job: j, Detail: j.Serialize(), Spec: JsonSerializer.Serialize(j.Spec, LocalJson.Options))).ToList();
        var existing = await _database.Writer.WriteAsync<string?>(_ =>
        {
            if (idempotencyToken is not null)
            {
                _findByToken.Parameters[0].Value = idempotencyToken;
                if (_findByToken.ExecuteScalar() is string id) return id;
            }
            foreach (var row in rows)
            {
                var p = _insert.Parameters;
                p[0].Value = row.Job.JobId;
                p[1].Value = row.Job.Detail.JobName;
                p[2].Value = row.Job.Parent is null ? DBNull.Value : detail.JobId;
                p[3].Value = row.Job.Detail.Status;
                p[4].Value = row.Job.Detail.CreatedAt;
                p[5].Value = row.Detail;
                p[6].Value = row.Spec;
                p[7].Value = row.Job.Parent is null && idempotencyToken is not null ? idempotencyToken : DBNull.Value;
                _insert.ExecuteNonQuery();
            }
            return null;
        }).ConfigureAwait(false);
        if (existing is not null) return existing;
        foreach (var row in rows) row.Job.Publish(row.Detail);
        foreach (var child in children) Run(child);
        Run(job);
        // After the start, so the first attempt does not wait for it; the writes are forward only, so a later status may land first.
        await NotifyAsync(job, rows[0].Detail).ConfigureAwait(false);
        return detail.JobId;
    }

    /// <summary>DescribeJobs for one job; null when there is no such job.</summary>
    public BatchJobDetail? DescribeJob(string jobId)
    {
        if (_jobs.TryGetValue(jobId, out var job)) return Read<BatchJobDetail>(job.Snapshot().Json);
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT detail FROM batch_jobs WHERE job_id = $id";
        command.Parameters.AddWithValue("$id", jobId);
        return command.ExecuteScalar() is string json ? Read<BatchJobDetail>(json) : null;
    }

    /// <summary>The job's detail now and after each change, until it is final.</summary>
    public async IAsyncEnumerable<BatchJobDetail> WatchAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            // Not tracked: final (a job leaves the runner only after its final status is stored), or the runner is stopping.
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

    /// <summary>Stops: kills running attempts' process trees (left RUNNING for the restart to settle) and waits for the run loops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops.Keys).ConfigureAwait(false);
        _insert.Dispose();
        _update.Dispose();
        _findByToken.Dispose();
        _stopping.Dispose();
    }

    private void Run(TrackedJob job)
    {
        _jobs[job.JobId] = job;
        var loop = Task.Run(() => job.Array is null ? RunAsync(job) : RunArrayParentAsync(job));
        _loops[loop] = true;
        loop.ContinueWith(t => _loops.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task RunAsync(TrackedJob job)
    {
        var stopping = _stopping.Token;
        var delay = new RetryDelay();
        try
        {
            var again = true;
            while (again && !stopping.IsCancellationRequested)
            {
                try
                {
                    // An attempt whose bookkeeping failed midway (its process is killed) counts as failed.
                    if (job.Detail.Status is BatchJobStatus.Starting or BatchJobStatus.Running)
                    {
                        again = await EndAttemptAsync(job, exitCode: null, "The local stack could not record this attempt (see its output); the attempt was stopped.", containerReason: null).ConfigureAwait(false);
                        continue;
                    }
                    if (!_slots.Wait(0))
                    {
                        // Not stored: for a restart, waiting for a slot and SUBMITTED are the same (not started).
                        await SetStatusAsync(job, BatchJobStatus.Runnable, $"Waiting for a free slot: all {_concurrency} slots of the local stack are busy (set --concurrency to run more at once).", store: false).ConfigureAwait(false);
                        await _slots.WaitAsync(stopping).ConfigureAwait(false);
                    }
                    try
                    {
                        // A slot freed by a stop must not start a new attempt.
                        stopping.ThrowIfCancellationRequested();
                        again = await RunAttemptAsync(job, stopping).ConfigureAwait(false);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested && ex is not OperationCanceledException)
                {
                    _logger.LogError(ex, "Job {JobId}: the local Batch failed to record a change; trying again in {Delay} ms.", job.JobId, delay.Next.TotalMilliseconds);
                    await delay.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the job stays as stored; the restart picks it up.
        }
        catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
        {
            // The database closed while stopping.
        }
        finally
        {
            _jobs.TryRemove(job.JobId, out _);
        }
    }

    /// <summary>
    /// An array job's parent runs no process: it follows its children. PENDING until one starts,
    /// RUNNING while any runs or some are done, then SUCCEEDED when all succeeded, else FAILED.
    /// </summary>
    private async Task RunArrayParentAsync(TrackedJob parent)
    {
        var stopping = _stopping.Token;
        var detail = parent.Detail;
        var state = parent.Array!;
        var delay = new RetryDelay();
        try
        {
            while (true)
            {
                try
                {
                    if (await FollowChildrenAsync(parent, detail, state).ConfigureAwait(false)) break;
                    await state.WaitForChangeAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    _logger.LogError(ex, "Array job {JobId}: the local Batch failed to record a change; trying again in {Delay} ms.", parent.JobId, delay.Next.TotalMilliseconds);
                    detail.ArrayProperties!.StatusSummary = null; // Not stored: write it again next time.
                    await delay.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: the restart rebuilds the parent from its children.
        }
        finally
        {
            _jobs.TryRemove(parent.JobId, out _);
        }
    }

    /// <summary>Brings the parent's status and child counts up to date; true once it is final.</summary>
    private async Task<bool> FollowChildrenAsync(TrackedJob parent, BatchJobDetail detail, ArrayParentState state)
    {
        var summary = state.Summary();
        int succeeded = summary[BatchJobStatus.Succeeded], failed = summary[BatchJobStatus.Failed];
        int active = summary[BatchJobStatus.Starting] + summary[BatchJobStatus.Running];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string status, reason;
        if (succeeded + failed == state.Size)
        {
            status = failed == 0 ? BatchJobStatus.Succeeded : BatchJobStatus.Failed;
            reason = failed == 0 ? $"All {state.Size} child jobs succeeded." : $"{failed} of {state.Size} child jobs failed.";
            detail.StoppedAt = now;
        }
        else if (active > 0 || succeeded + failed > 0)
        {
            status = BatchJobStatus.Running;
            reason = $"{active} child jobs running; {succeeded + failed} of {state.Size} done ({failed} failed).";
            detail.StartedAt ??= now;
        }
        else
        {
            status = BatchJobStatus.Pending;
            reason = $"{state.Size} child jobs waiting to run.";
        }
        var previous = detail.ArrayProperties!.StatusSummary;
        if (status != detail.Status || reason != detail.StatusReason || previous is null || !summary.All(c => previous.GetValueOrDefault(c.Key) == c.Value))
        {
            detail.ArrayProperties.StatusSummary = summary;
            await SetStatusAsync(parent, status, reason).ConfigureAwait(false);
        }
        return BatchJobStatus.IsFinal(status);
    }

    private IEnumerable<(string JobId, string Status)> ChildStatuses(string parentId)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, status FROM batch_jobs WHERE parent_id = $parent";
        command.Parameters.AddWithValue("$parent", parentId);
        using var reader = command.ExecuteReader();
        var result = new List<(string, string)>();
        while (reader.Read()) result.Add((reader.GetString(0), reader.GetString(1)));
        return result;
    }

    /// <summary>AWS Batch's id of an array child: <c>parent:index</c>.</summary>
    private static string ChildId(string parentId, int index) => parentId + ":" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The log folder of a job (an array child's is inside its parent's).</summary>
    private string LogFolder(string jobId) => Path.Combine(new[] { _logDirectory }.Concat(jobId.Split(':')).ToArray());

    /// <summary>Runs one attempt; true when another attempt follows.</summary>
    private async Task<bool> RunAttemptAsync(TrackedJob job, CancellationToken stopping)
    {
        var detail = job.Detail;
        var attempt = detail.Attempts.Count + 1;
        var logPath = Path.Combine(LogFolder(detail.JobId), $"attempt-{attempt}.log");
        job.Spec.AttemptStartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        detail.Container.LogStreamName = logPath;
        await SetStatusAsync(job, BatchJobStatus.Starting, $"Starting attempt {attempt} of {detail.MaxAttempts}.").ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();

        JobProcess process;
        try
        {
            process = JobProcess.Start(detail.Container.Command!, Environment(job, attempt), job.Spec.WorkingDirectory, logPath);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            var reason = $"Cannot start the job's process '{detail.Container.Command![0]}': {ex.Message}";
            return await EndAttemptAsync(job, exitCode: null, reason, "CannotStartContainerError: " + ex.Message).ConfigureAwait(false);
        }

        using (process)
        {
            try
            {
                var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                job.Spec.AttemptStartedAt = started;
                job.Spec.Pid = process.Id;
                job.Spec.PidStartedAt = process.StartTimeUtc.Ticks;
                detail.StartedAt ??= started;
                await SetStatusAsync(job, BatchJobStatus.Running, $"Attempt {attempt} of {detail.MaxAttempts} is running (process {process.Id}).").ConfigureAwait(false);

                var (end, exitCode) = await process.WaitAsync(detail.Timeout?.AttemptDurationSeconds, stopping).ConfigureAwait(false);
                switch (end)
                {
                    case JobProcessEnd.Interrupted:
                        throw new OperationCanceledException(stopping);
                    case JobProcessEnd.TimedOut:
                        return await EndAttemptAsync(job, exitCode,
                            $"{TimeoutReason} ({detail.Timeout!.AttemptDurationSeconds} s): the process tree was killed.", containerReason: null).ConfigureAwait(false);
                    default:
                        return await EndAttemptAsync(job, exitCode,
                            exitCode == 0 ? "The job's process exited with code 0." : $"The job's process exited with code {exitCode}; see its log '{logPath}'.", containerReason: null).ConfigureAwait(false);
                }
            }
            catch
            {
                // Whatever went wrong, the attempt's processes must not outlive it.
                process.KillTree();
                throw;
            }
        }
    }

    /// <summary>Records a finished attempt and moves the job on: SUCCEEDED, RUNNABLE (retry) or FAILED. True when it retries.</summary>
    private async Task<bool> EndAttemptAsync(TrackedJob job, int? exitCode, string statusReason, string? containerReason)
    {
        var detail = job.Detail;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        detail.Attempts.Add(new BatchAttemptDetail
        {
            Container = new BatchContainerDetail { ExitCode = exitCode, LogStreamName = detail.Container.LogStreamName, Reason = containerReason },
            StartedAt = job.Spec.AttemptStartedAt ?? now,
            StoppedAt = now,
            StatusReason = statusReason,
        });
        detail.Container.ExitCode = exitCode;
        detail.Container.Reason = containerReason;
        job.Spec.AttemptStartedAt = null;
        job.Spec.Pid = null;
        job.Spec.PidStartedAt = null;

        if (exitCode == 0)
        {
            detail.StoppedAt = now;
            await SetStatusAsync(job, BatchJobStatus.Succeeded, statusReason).ConfigureAwait(false);
            return false;
        }
        var attempts = detail.Attempts.Count;
        if (RetryRules.ShouldRetry(detail.RetryStrategy, attempts, exitCode, statusReason, containerReason))
        {
            await SetStatusAsync(job, BatchJobStatus.Runnable, $"Attempt {attempts} of {detail.MaxAttempts} failed ({statusReason}); retrying.").ConfigureAwait(false);
            return true;
        }
        detail.StoppedAt = now;
        var summary = attempts > 1 ? $"All {attempts} attempts failed; the last: {statusReason}" : statusReason;
        await SetStatusAsync(job, BatchJobStatus.Failed, summary).ConfigureAwait(false);
        return false;
    }

    /// <summary>Moves the job to a status: stored durably (unless <paramref name="store"/> is false), then published to watchers and the array parent.</summary>
    private async Task SetStatusAsync(TrackedJob job, string status, string? statusReason, bool store = true)
    {
        job.Detail.Status = status;
        job.Detail.StatusReason = statusReason;
        var detailJson = job.Serialize();
        var specJson = JsonSerializer.Serialize(job.Spec, LocalJson.Options);
        var jobId = job.JobId;
        if (store) await _database.Writer.WriteAsync(_ =>
        {
            var p = _update.Parameters;
            p[0].Value = status;
            p[1].Value = detailJson;
            p[2].Value = specJson;
            p[3].Value = jobId;
            return _update.ExecuteNonQuery();
        }).ConfigureAwait(false);
        job.Publish(detailJson);
        if (job.Parent is not null && job.Detail.ArrayProperties?.Index is int index) job.Parent.Set(index, status);
        await NotifyAsync(job, detailJson).ConfigureAwait(false);
    }

    /// <summary>Tells the change listener (if any) of a job's new detail; array children are reported through their parent's counts.</summary>
    private async Task NotifyAsync(TrackedJob job, string detailJson)
    {
        if (_changed is null || job.Parent is not null) return;
        try
        {
            await _changed(detailJson).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Job {JobId}: its status change to {Status} could not be forwarded.", job.JobId, job.Detail.Status);
        }
    }

    private static IReadOnlyDictionary<string, string> Environment(TrackedJob job, int attempt)
    {
        var environment = new Dictionary<string, string>(job.Spec.Environment, StringComparer.Ordinal)
        {
            ["AWS_BATCH_JOB_ID"] = job.JobId,
            ["AWS_BATCH_JOB_ATTEMPT"] = attempt.ToString(CultureInfo.InvariantCulture),
            ["AWS_BATCH_JQ_NAME"] = job.Detail.JobQueue,
        };
        if (job.Detail.ArrayProperties?.Index is int index)
            environment["AWS_BATCH_JOB_ARRAY_INDEX"] = index.ToString(CultureInfo.InvariantCulture);
        if (job.Detail.Tags.TryGetValue(WorkflowInput.TriggerIdTag, out var triggerId))
            environment["BATCHPS_TRIGGER_ID"] = triggerId;
        return environment;
    }

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, BatchPsJson.Lenient)!;
}
