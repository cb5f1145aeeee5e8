using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using BatchPs.LocalStack.DynamoDb;
using BatchPs.StateMachine.Errors;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The one owner of the <c>triggers</c> table (and its change feed's checkpoints). Each record is a JSON document
/// (the API's <see cref="TriggerRecord"/>) plus indexed columns (id, idempotency key, status, status rank, version,
/// created); inserts get a sequence number, which is the change feed's order. It offers two views of the same rows:
/// <list type="bullet">
/// <item>records, for the API, the feed and Core's <see cref="ITriggerStatusWriter"/> (forward-only status writes,
/// applied as <see cref="TriggerItem.Sets"/>, the same list the cloud's UpdateItem sets);</item>
/// <item>DynamoDB items (<see cref="TriggerItem"/>), for the workflow's <c>dynamodb:getItem</c> and <c>updateItem</c>
/// on the table named <see cref="TableName"/> (key <c>triggerId</c>).</item>
/// </list>
/// Every change of a stored record goes through one compare-and-swap in the single writer: decided on the record as
/// stored, written with the version it had as the condition; the write keeps the indexed columns in step with the document.
/// </summary>
internal sealed class TriggerStore : ITriggerStatusWriter, IDynamoDbItemStore, IDisposable
{
    /// <summary>The table name the local stack substitutes for <c>${TriggerTableName}</c>.</summary>
    public const string TableName = "BatchPsLocalTriggers";

    private readonly LocalDatabase _database;
    private readonly SqliteCommand _findByKey;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _findById;
    private readonly SqliteCommand _swap;
    private readonly SqliteCommand _recordApplied;
    private readonly SqliteCommand _saveCheckpoint;

    public TriggerStore(LocalDatabase database)
    {
        _database = database;
        _findByKey = database.PrepareWrite("SELECT doc FROM triggers WHERE idempotency_key = $key", "$key");
        _insert = database.PrepareWrite(
            "INSERT INTO triggers (trigger_id, idempotency_key, job_name, status, status_rank, version, created_at, doc) VALUES ($id, $key, $job, $status, $rank, $version, $created, $doc)",
            "$id", "$key", "$job", "$status", "$rank", "$version", "$created", "$doc");
        _findById = database.PrepareWrite("SELECT doc FROM triggers WHERE trigger_id = $id", "$id");
        _swap = database.PrepareWrite(
            "UPDATE triggers SET status = $status, status_rank = $rank, version = $version, doc = $doc WHERE trigger_id = $id AND version = $expected",
            "$status", "$rank", "$version", "$doc", "$id", "$expected");
        _recordApplied = database.PrepareWrite("INSERT OR REPLACE INTO applied_updates (invocation_id, response) VALUES ($invocation, $response)", "$invocation", "$response");
        _saveCheckpoint = database.PrepareWrite(
            "INSERT INTO feed_checkpoints (consumer, seq) VALUES ($consumer, $seq) ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > feed_checkpoints.seq",
            "$consumer", "$seq");
    }

    /// <summary>Raised after an insert committed (the change feed's wake-up call).</summary>
    public event Action? Inserted;

    // ---- records ----

    /// <summary>
    /// Stores a new trigger durably, or returns the stored one when its idempotency key exists
    /// (concurrent duplicates included: the single writer serialises them).
    /// </summary>
    public async Task<TriggerInsert> InsertAsync(TriggerRecord record)
    {
        var document = Serialize(record);
        var created = CreatedText(record.CreatedAt);
        var result = await _database.Writer.WriteAsync(_ =>
        {
            _findByKey.Parameters[0].Value = record.IdempotencyKey;
            if (_findByKey.ExecuteScalar() is string existing)
                return new TriggerInsert(Deserialize(existing), existing, Replayed: true);
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
            return new TriggerInsert(record, document, Replayed: false);
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

    /// <summary>A forward-only status write (<see cref="TriggerStatusOrder.CanApply"/>); false when the trigger is missing or past the status.</summary>
    public Task<bool> ApplyAsync(TriggerUpdate update, CancellationToken cancellationToken) =>
        ChangeAsync(update.TriggerId, record =>
            TriggerStatusOrder.CanApply(record.Status, update.Status) ? TriggerItem.Apply(record, update, DateTimeOffset.UtcNow) : null);

    /// <summary>
    /// Cancels a trigger (one compare-and-swap): a trigger that is not final becomes CANCELLED with the reason, the
    /// client as <c>cancelledBy</c> and the time; one already CANCELLED stays as it is (the first cancel's reason and
    /// client); one that ended otherwise is left alone and returned with <see cref="TriggerCancelOutcome.AlreadyFinal"/>.
    /// </summary>
    public async Task<(TriggerCancelOutcome Outcome, TriggerRecord? Record)> CancelAsync(string triggerId, string reason, string? client)
    {
        TriggerRecord? seen = null;
        TriggerRecord? written = null;
        var now = DateTimeOffset.UtcNow;
        var changed = await ChangeAsync(triggerId, record =>
        {
            seen = record;
            if (record.IsFinal) return null;
            return written = TriggerItem.Apply(record, new TriggerUpdate(triggerId, TriggerStatus.CANCELLED)
            {
                StatusReason = reason,
                CancelledBy = client,
                CancelRequestedAt = now,
            }, now);
        }).ConfigureAwait(false);
        if (changed) return (TriggerCancelOutcome.Cancelled, written);
        return seen switch
        {
            null => (TriggerCancelOutcome.NotFound, null),
            { Status: TriggerStatus.CANCELLED } => (TriggerCancelOutcome.AlreadyCancelled, seen),
            _ => (TriggerCancelOutcome.AlreadyFinal, seen),
        };
    }

    /// <summary>
    /// A page of <c>GET /triggers</c>: newest first by created time, ties by id (both descending), from after the
    /// query's position; keyset paging on the indexes <c>triggers_by_job_created</c>, <c>triggers_by_status_created</c>
    /// and <c>triggers_by_created_id</c>, so a page costs the same at any depth.
    /// </summary>
    public TriggerListPage List(TriggerListQuery query)
    {
        var where = new List<string>();
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        if (query.JobName is not null)
        {
            where.Add("job_name = $job");
            command.Parameters.AddWithValue("$job", query.JobName);
        }
        if (query.Statuses.Count > 0)
        {
            var names = new List<string>();
            for (var i = 0; i < query.Statuses.Count; i++)
            {
                names.Add("$s" + i);
                command.Parameters.AddWithValue("$s" + i, query.Statuses[i].ToString());
            }
            where.Add($"status IN ({string.Join(", ", names)})");
        }
        if (query.Client is not null)
        {
            where.Add("json_extract(doc, '$.client') = $client");
            command.Parameters.AddWithValue("$client", query.Client);
        }
        if (query.Since is { } since)
        {
            where.Add("created_at >= $since");
            command.Parameters.AddWithValue("$since", CreatedText(since));
        }
        if (query.Until is { } until)
        {
            where.Add("created_at < $until");
            command.Parameters.AddWithValue("$until", CreatedText(until));
        }
        if (query.Position is { } position)
        {
            where.Add("(created_at < $pc OR (created_at = $pc AND trigger_id < $pi))");
            command.Parameters.AddWithValue("$pc", (string?)position["c"] ?? "");
            command.Parameters.AddWithValue("$pi", (string?)position["i"] ?? "");
        }
        command.CommandText = "SELECT created_at, trigger_id, doc FROM triggers"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY created_at DESC, trigger_id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var page = new TriggerListPage();
        string? lastCreated = null, lastId = null;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (page.Triggers.Count == query.Limit)
            {
                page.NextToken = query.EncodeToken(new JsonObject { ["c"] = lastCreated, ["i"] = lastId });
                break;
            }
            lastCreated = reader.GetString(0);
            lastId = reader.GetString(1);
            page.Triggers.Add(Deserialize(reader.GetString(2)));
        }
        return page;
    }

    // ---- the change feed ----

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

    // ---- DynamoDB items ----

    /// <inheritdoc />
    public Task<JsonObject?> GetItemAsync(string tableName, JsonObject key, CancellationToken cancellationToken) =>
        Task.FromResult(Find(TriggerIdOf(tableName, key)) is { } record ? TriggerItem.FromRecord(record) : null);

    /// <inheritdoc />
    public Task<bool> TryReplaceItemAsync(string tableName, JsonObject key, JsonObject? expected, JsonObject item, string invocationId, JsonObject response, CancellationToken cancellationToken)
    {
        var triggerId = TriggerIdOf(tableName, key);
        if (expected is null)
            throw Validation("the local trigger table only updates existing triggers; triggers are created by POST /triggers.");
        TriggerRecord replacement;
        try
        {
            replacement = TriggerItem.ToRecord(item);
        }
        catch (FormatException ex)
        {
            throw Validation("the local trigger table keeps trigger records: " + ex.Message);
        }
        if (replacement.TriggerId != triggerId) throw Validation("an update cannot change the key attribute triggerId.");
        var responseJson = response.ToJsonString();
        return ChangeAsync(triggerId, current => JsonNode.DeepEquals(TriggerItem.FromRecord(current), expected) ? replacement : null, () =>
        {
            // In the same transaction: a resumed execution re-running this invocation gets this response back.
            _recordApplied.Parameters[0].Value = invocationId;
            _recordApplied.Parameters[1].Value = responseJson;
            _recordApplied.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public Task<JsonObject?> GetAppliedResponseAsync(string invocationId, CancellationToken cancellationToken)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT response FROM applied_updates WHERE invocation_id = $invocation";
        command.Parameters.AddWithValue("$invocation", invocationId);
        return Task.FromResult(command.ExecuteScalar() is string json ? JsonNode.Parse(json)!.AsObject() : null);
    }

    public void Dispose()
    {
        foreach (var command in new[] { _findByKey, _insert, _findById, _swap, _recordApplied, _saveCheckpoint })
            command.Dispose();
    }

    /// <summary>
    /// The one compare-and-swap of a stored record, in the single writer: <paramref name="change"/> decides on the
    /// record as stored (null: no change, the result is false); the new record is written with its indexed columns,
    /// on condition that the row still has the version read, with <paramref name="alsoInTheSameWrite"/> in the same
    /// transaction.
    /// </summary>
    private Task<bool> ChangeAsync(string triggerId, Func<TriggerRecord, TriggerRecord?> change, Action? alsoInTheSameWrite = null) =>
        _database.Writer.WriteAsync(_ =>
        {
            _findById.Parameters[0].Value = triggerId;
            if (_findById.ExecuteScalar() is not string json) return false;
            var current = Deserialize(json);
            var expected = current.Version;
            if (change(current) is not { } next) return false;
            var p = _swap.Parameters;
            p[0].Value = next.Status.ToString();
            p[1].Value = TriggerStatusOrder.Rank(next.Status);
            p[2].Value = next.Version;
            p[3].Value = Serialize(next);
            p[4].Value = triggerId;
            p[5].Value = expected;
            if (_swap.ExecuteNonQuery() != 1) return false;
            alsoInTheSameWrite?.Invoke();
            return true;
        });

    private static string TriggerIdOf(string tableName, JsonObject key)
    {
        if (tableName != TableName)
            throw new StatesErrorException("DynamoDB.ResourceNotFoundException", $"Requested resource not found: Table: {tableName} not found. The local stack has one table, '{TableName}' (substituted for ${{TriggerTableName}}).");
        if (key.Count != 1 || key[TriggerItem.TriggerId] is not JsonObject { Count: 1 } id || id["S"] is not JsonValue value || !value.TryGetValue<string>(out var triggerId))
            throw Validation("the provided key element does not match the schema: the key is {\"triggerId\": {\"S\": \"...\"}}.");
        return triggerId;
    }

    private static StatesErrorException Validation(string message) =>
        new("DynamoDB.AmazonDynamoDBException", $"One or more parameter values were invalid: {message} (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException)");

    /// <summary>The <c>created_at</c> column's text of a time: ISO 8601 UTC with 7 decimals, so text order is time order.</summary>
    private static string CreatedText(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string Serialize(TriggerRecord record) => JsonSerializer.Serialize(record, LocalJson.Options);

    private static TriggerRecord Deserialize(string json) => JsonSerializer.Deserialize<TriggerRecord>(json, BatchPsJson.Lenient)!;
}
