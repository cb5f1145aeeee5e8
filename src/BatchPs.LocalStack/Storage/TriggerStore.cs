using System.Globalization;
using System.Text.Json;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The triggers table: each record is a JSON document (the API's <see cref="TriggerRecord"/>) plus
/// indexed columns (id, idempotency key, status, status rank, version, created). Inserts get a
/// sequence number, which is the change feed's order. Status writes are conditional and forward only.
/// </summary>
internal sealed class TriggerStore : ITriggerStatusWriter
{
    private readonly LocalDatabase _database;
    private readonly SqliteCommand _findByKey;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _findById;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _saveCheckpoint;

    public TriggerStore(LocalDatabase database)
    {
        _database = database;
        _findByKey = database.PrepareWrite("SELECT doc FROM triggers WHERE idempotency_key = $key", "$key");
        _insert = database.PrepareWrite(
            "INSERT INTO triggers (trigger_id, idempotency_key, job_name, status, status_rank, version, created_at, doc) VALUES ($id, $key, $job, $status, $rank, $version, $created, $doc)",
            "$id", "$key", "$job", "$status", "$rank", "$version", "$created", "$doc");
        _findById = database.PrepareWrite("SELECT doc FROM triggers WHERE trigger_id = $id", "$id");
        _update = database.PrepareWrite(
            "UPDATE triggers SET status = $status, status_rank = $rank, version = $version, doc = $doc WHERE trigger_id = $id AND version = $expected",
            "$status", "$rank", "$version", "$doc", "$id", "$expected");
        _saveCheckpoint = database.PrepareWrite(
            "INSERT INTO feed_checkpoints (consumer, seq) VALUES ($consumer, $seq) ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > feed_checkpoints.seq",
            "$consumer", "$seq");
    }

    /// <summary>Raised after an insert committed (the change feed's wake-up call).</summary>
    public event Action? Inserted;

    /// <summary>
    /// Stores a new trigger durably, or returns the stored one when its idempotency key exists
    /// (concurrent duplicates included: the single writer serialises them).
    /// </summary>
    public async Task<TriggerInsert> InsertAsync(TriggerRecord record)
    {
        var document = Serialize(record);
        var created = record.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
        var result = await _database.Writer.WriteAsync(_ =>
        {
            _findByKey.Parameters[0].Value = record.IdempotencyKey;
            if (_findByKey.ExecuteScalar() is string existing)
                return new TriggerInsert(Deserialize(existing), Replayed: true);
            var p = _insert.Parameters;
            p[0].Value = record.TriggerId;
            p[1].Value = record.IdempotencyKey;
            p[2].Value = record.JobName;
            p[3].Value = record.Status.ToString();
            p[4].Value = TriggerStatusOrder.Rank(record.Status);
            p[5].Value = record.Version;
            p[6].Value = created;
            p[7].Value = document;
            _insert.ExecuteNonQuery();
            return new TriggerInsert(record, Replayed: false);
        }).ConfigureAwait(false);
        if (!result.Replayed) Inserted?.Invoke();
        return result;
    }

    /// <summary>The stored JSON document of a trigger, or null.</summary>
    public string? FindJson(string triggerId)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM triggers WHERE trigger_id = $id";
        command.Parameters.AddWithValue("$id", triggerId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>A trigger, or null.</summary>
    public TriggerRecord? Find(string triggerId) => FindJson(triggerId) is { } json ? Deserialize(json) : null;

    /// <inheritdoc />
    public Task<bool> ApplyAsync(TriggerUpdate update, CancellationToken cancellationToken) =>
        _database.Writer.WriteAsync(_ =>
        {
            _findById.Parameters[0].Value = update.TriggerId;
            if (_findById.ExecuteScalar() is not string json) return false;
            var record = Deserialize(json);
            if (!TriggerStatusOrder.CanApply(record.Status, update.Status)) return false;
            var expected = record.Version;
            Apply(record, update, DateTimeOffset.UtcNow);
            var p = _update.Parameters;
            p[0].Value = record.Status.ToString();
            p[1].Value = TriggerStatusOrder.Rank(record.Status);
            p[2].Value = record.Version;
            p[3].Value = Serialize(record);
            p[4].Value = record.TriggerId;
            p[5].Value = expected;
            return _update.ExecuteNonQuery() == 1;
        });

    /// <summary>Up to <paramref name="limit"/> feed entries after <paramref name="afterSequence"/>, in order.</summary>
    public IReadOnlyList<FeedEntry> ReadFeed(long afterSequence, int limit)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, doc FROM triggers WHERE seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var entries = new List<FeedEntry>();
        while (reader.Read())
            entries.Add(new FeedEntry(reader.GetInt64(0), Deserialize(reader.GetString(1))));
        return entries;
    }

    /// <summary>The feed position a consumer has handled up to (0 when it never ran).</summary>
    public long ReadCheckpoint(string consumer)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM feed_checkpoints WHERE consumer = $consumer";
        command.Parameters.AddWithValue("$consumer", consumer);
        return command.ExecuteScalar() is long seq ? seq : 0;
    }

    /// <summary>Durably moves a consumer's checkpoint forward (never back).</summary>
    public Task SaveCheckpointAsync(string consumer, long sequence) =>
        _database.Writer.WriteAsync(_ =>
        {
            _saveCheckpoint.Parameters[0].Value = consumer;
            _saveCheckpoint.Parameters[1].Value = sequence;
            return _saveCheckpoint.ExecuteNonQuery();
        });

    /// <summary>Applies an update's fields to a record: status, timestamps, version, and every non-null field.</summary>
    internal static void Apply(TriggerRecord record, TriggerUpdate update, DateTimeOffset now)
    {
        if (record.Status != update.Status) record.StatusChangedAt = now;
        record.Status = update.Status;
        record.UpdatedAt = now;
        record.Version++;
        if (update.StatusReason is not null) record.StatusReason = update.StatusReason;
        if (update.ExecutionId is not null) record.ExecutionId = update.ExecutionId;
        if (update.BatchJobId is not null) record.BatchJobId = update.BatchJobId;
        if (update.ExitCode is not null) record.ExitCode = update.ExitCode;
        if (update.LogLocation is not null) record.LogLocation = update.LogLocation;
        if (update.StartedAt is not null) record.StartedAt = update.StartedAt;
        if (update.StoppedAt is not null) record.StoppedAt = update.StoppedAt;
        if (update.Attempts is not null) record.Attempts = update.Attempts;
        if (update.ArrayStatusSummary is not null) record.ArrayStatusSummary = update.ArrayStatusSummary;
    }

    private static string Serialize(TriggerRecord record) => JsonSerializer.Serialize(record, LocalJson.Options);

    private static TriggerRecord Deserialize(string json) => JsonSerializer.Deserialize<TriggerRecord>(json, BatchPsJson.Lenient)!;

}
