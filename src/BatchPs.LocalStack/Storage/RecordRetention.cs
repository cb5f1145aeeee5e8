using System.Globalization;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// <c>RecordRetentionDays</c> on the local stack: a sweep at start and then every <see cref="Interval"/> deletes each
/// FINAL trigger created more than that many days ago with everything recorded for it — its <c>triggers</c> row, its
/// workflow execution (<c>executions</c>, <c>execution_events</c>), the updates its workflow applied
/// (<c>applied_updates</c>), its Batch jobs (<c>batch_jobs</c>, array children included) — and its jobs' folders under
/// <c>logs/</c>. A trigger that is not final, or whose execution or jobs have not ended, is never deleted.
/// <para>
/// Order: one transaction deletes a batch of triggers' rows and records their jobs in <c>log_deletions</c>; after it
/// committed, the log folders are deleted, then their <c>log_deletions</c> rows. A crash (or a folder that cannot be
/// deleted) in between leaves log folders that no row points to, listed in <c>log_deletions</c>, and the next sweep
/// deletes them. The other order could leave rows whose logs are gone (a trigger that answers, with its log missing).
/// </para>
/// Each batch is at most <see cref="BatchSize"/> triggers, one writer transaction, with a pause between batches, so
/// the API's writes interleave with a long sweep.
/// </summary>
internal sealed class RecordRetention : IAsyncDisposable
{
    /// <summary>The cloud's default (<c>RecordRetentionDays</c> in cloudformation/template.yaml).</summary>
    public const int DefaultDays = 90;
    /// <summary>The cloud parameter's bounds.</summary>
    public const int MinDays = 1, MaxDays = 3650;
    /// <summary>Triggers deleted per transaction.</summary>
    public const int BatchSize = 200;

    private static readonly TimeSpan PauseBetweenBatches = TimeSpan.FromMilliseconds(50);

    private readonly LocalDatabase _database;
    private readonly string _logsPath;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _disposed;

    public RecordRetention(LocalDatabase database, string logsPath, int days, TimeSpan interval, ILogger logger, TimeProvider? clock = null)
    {
        if (days is < MinDays or > MaxDays) throw new ArgumentOutOfRangeException(nameof(days), days, $"RecordRetentionDays must be from {MinDays} to {MaxDays}.");
        _database = database;
        _logsPath = logsPath;
        Days = days;
        Interval = interval;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Days after its creation a final trigger is deleted.</summary>
    public int Days { get; }

    /// <summary>Time between sweeps.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Starts the sweeps: the first now, in the background (the server does not wait for it).</summary>
    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>One whole sweep: every expired final trigger, batch by batch, and the log folders left by an earlier one. Returns the triggers deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        await DeletePendingLogsAsync().ConfigureAwait(false);
        var cutoff = _clock.GetUtcNow().AddDays(-Days).ToString("O", CultureInfo.InvariantCulture);
        if (!AnyCreatedBefore(cutoff)) return 0; // Nothing expired: no write (a sweep must not take the writer for nothing).
        var total = 0;
        (string Created, string TriggerId)? after = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await _database.Writer.WriteAsync(connection => DeleteBatch(connection, cutoff, after)).ConfigureAwait(false);
            total += batch.Deleted;
            if (batch.Jobs.Count > 0) await DeleteLogsAsync(batch.Jobs).ConfigureAwait(false);
            if (batch.Last is null) break;
            after = batch.Last;
            await Task.Delay(PauseBetweenBatches, cancellationToken).ConfigureAwait(false);
        }
        return total;
    }

    /// <summary>Ends the sweeps (waiting for a running batch); the lifecycle stops it before the database closes, the container again after.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever failed (a locked file, a full disk), the sweeps go on: the next one retries.
                _logger.LogError(ex, "Record retention: the sweep failed; it runs again in {Interval}.", Interval);
            }
            try
            {
                await Task.Delay(Interval, _clock, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Deletes the rows of the expired final triggers among the next <see cref="BatchSize"/> expired ones after
    /// <paramref name="after"/> in (created, id) order (inside the writer's transaction). Returns how many were deleted,
    /// their jobs' ids, and where the next batch starts (null when this was the last).
    /// </summary>
    private static (int Deleted, List<string> Jobs, (string, string)? Last) DeleteBatch(SqliteConnection connection, string cutoff, (string Created, string TriggerId)? after)
    {
        var candidates = new List<(string Created, string TriggerId, int Rank)>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT created_at, trigger_id, status_rank FROM triggers WHERE created_at < $cutoff" +
                (after is null ? "" : " AND (created_at > $afterCreated OR (created_at = $afterCreated AND trigger_id > $afterId))") +
                " ORDER BY created_at, trigger_id LIMIT $limit";
            select.Parameters.AddWithValue("$cutoff", cutoff);
            select.Parameters.AddWithValue("$limit", BatchSize);
            if (after is { } a)
            {
                select.Parameters.AddWithValue("$afterCreated", a.Created);
                select.Parameters.AddWithValue("$afterId", a.TriggerId);
            }
            using var reader = select.ExecuteReader();
            while (reader.Read()) candidates.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
        var deleted = 0;
        var jobs = new List<string>();
        foreach (var (_, triggerId, rank) in candidates)
        {
            if (rank != TriggerStatusOrder.FinalRank) continue; // never a trigger that is not final
            var execution = ExecutionNames.ForTrigger(triggerId);
            var (executionArn, executionStatus) = Execution(connection, execution);
            if (executionStatus == ExecutionStore.Running) continue; // final record, workflow still finishing: the next sweep
            var triggerJobs = executionArn is null ? [] : Jobs(connection, executionArn);
            if (triggerJobs.Any(j => j.Status is not ("SUCCEEDED" or "FAILED"))) continue;
            foreach (var (jobId, _) in triggerJobs)
            {
                Execute(connection, "INSERT OR IGNORE INTO log_deletions (job_id) VALUES ($p)", jobId);
                Execute(connection, "DELETE FROM batch_jobs WHERE job_id = $p OR parent_id = $p", jobId);
            }
            if (executionArn is not null)
            {
                using var applied = connection.CreateCommand();
                // The workflow's task invocation ids are "<execution ARN>/<state>/<entry>/<retry>": one range of the key.
                applied.CommandText = "DELETE FROM applied_updates WHERE invocation_id > $from AND invocation_id < $to";
                applied.Parameters.AddWithValue("$from", executionArn + "/");
                applied.Parameters.AddWithValue("$to", executionArn + "0");
                applied.ExecuteNonQuery();
            }
            Execute(connection, "DELETE FROM execution_events WHERE name = $p", execution);
            Execute(connection, "DELETE FROM executions WHERE name = $p", execution);
            Execute(connection, "DELETE FROM triggers WHERE trigger_id = $p", triggerId);
            jobs.AddRange(triggerJobs.Select(j => j.JobId));
            deleted++;
        }
        return (deleted, jobs, candidates.Count < BatchSize ? null : (candidates[^1].Created, candidates[^1].TriggerId));
    }

    private static (string? Arn, string? Status) Execution(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT execution_id, status FROM executions WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : (null, null);
    }

    /// <summary>The top-level jobs an execution submitted (their idempotency token is one of its task invocation ids) and their status.</summary>
    private static List<(string JobId, string Status)> Jobs(SqliteConnection connection, string executionArn)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, status FROM batch_jobs WHERE idempotency_token > $from AND idempotency_token < $to";
        command.Parameters.AddWithValue("$from", executionArn + "/");
        command.Parameters.AddWithValue("$to", executionArn + "0");
        using var reader = command.ExecuteReader();
        var jobs = new List<(string, string)>();
        while (reader.Read()) jobs.Add((reader.GetString(0), reader.GetString(1)));
        return jobs;
    }

    /// <summary>Deletes the log folders of jobs whose rows are gone, then their <c>log_deletions</c> rows.</summary>
    private async Task DeleteLogsAsync(IReadOnlyList<string> jobIds)
    {
        var done = new List<string>();
        foreach (var jobId in jobIds)
        {
            var folder = Path.Combine(_logsPath, jobId);
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                done.Add(jobId);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("Record retention: cannot delete the log folder '{Folder}' ({Message}); the next sweep tries again.", folder, ex.Message);
            }
        }
        if (done.Count == 0) return;
        await _database.Writer.WriteAsync(connection =>
        {
            foreach (var jobId in done) Execute(connection, "DELETE FROM log_deletions WHERE job_id = $p", jobId);
            return 0;
        }).ConfigureAwait(false);
    }

    private bool AnyCreatedBefore(string cutoff)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM triggers WHERE created_at < $cutoff LIMIT 1";
        command.Parameters.AddWithValue("$cutoff", cutoff);
        return command.ExecuteScalar() is not null;
    }

    /// <summary>The log folders an earlier sweep did not get to delete (it stopped or crashed after its commit).</summary>
    private async Task DeletePendingLogsAsync()
    {
        var pending = new List<string>();
        using (var connection = _database.OpenRead())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT job_id FROM log_deletions";
            using var reader = command.ExecuteReader();
            while (reader.Read()) pending.Add(reader.GetString(0));
        }
        if (pending.Count > 0) await DeleteLogsAsync(pending).ConfigureAwait(false);
    }

    private static void Execute(SqliteConnection connection, string sql, string parameter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        command.ExecuteNonQuery();
    }
}
