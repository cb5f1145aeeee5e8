using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The executions table: one row per workflow execution (named after its trigger), its latest
/// checkpoint while it runs and its result once it ended; the history events go to
/// <c>execution_events</c>, each written once (a checkpoint holds the whole history so far, so storing it
/// whole at every state would rewrite it again and again). The interpreter waits for each save, so a
/// restart resumes from the last completed state. When the execution ends, in the same transaction, its events
/// move into one Brotli-compressed JSON array in <c>executions.events</c> (<see cref="HistoryBlob"/>): each state's
/// input and output repeat the previous ones, so the array compresses about tenfold, and the row-per-event layout
/// spilled most events onto overflow pages of their own.
/// </summary>
internal sealed class ExecutionStore : IExecutionCheckpointSink
{
    /// <summary>Status of an execution that has not ended.</summary>
    public const string Running = "RUNNING";

    private static readonly JsonSerializerOptions EventJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly LocalDatabase _database;

    /// <summary>Per execution, the id of the last history event stored (unknown after a restart: stored again, ignored as duplicates).</summary>
    private readonly ConcurrentDictionary<string, long> _storedEvents = new(StringComparer.Ordinal);

    public ExecutionStore(LocalDatabase database)
    {
        _database = database;
    }

    /// <summary>Records a new execution; false when one of that name exists (a replayed start).</summary>
    public Task<bool> CreateAsync(string name, string executionId, string inputJson) =>
        _database.Writer.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO executions (name, execution_id, status, input, started_at) VALUES ($name, $id, $status, $input, $started) ON CONFLICT (name) DO NOTHING";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$id", executionId);
            command.Parameters.AddWithValue("$status", Running);
            command.Parameters.AddWithValue("$input", inputJson);
            command.Parameters.AddWithValue("$started", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            return command.ExecuteNonQuery() == 1;
        });

    /// <summary>Every execution that has not ended: name, input and latest checkpoint with its history (null before the first), oldest first.</summary>
    public IReadOnlyList<(string Name, string Input, ExecutionCheckpoint? Checkpoint)> ReadUnfinished()
    {
        var rows = new List<(string, string, string?)>();
        using var connection = _database.OpenRead();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, input, checkpoint FROM executions WHERE status = $status ORDER BY started_at";
            command.Parameters.AddWithValue("$status", Running);
            using var reader = command.ExecuteReader();
            while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        var unfinished = rows.Select(r => (r.Item1, r.Item2, r.Item3 is null ? null : WithHistory(ExecutionCheckpoint.FromJson(r.Item3), connection))).ToList();
        foreach (var (name, _, checkpoint) in unfinished)
        {
            if (checkpoint is { History.Count: > 0 }) _storedEvents[name] = checkpoint.History[^1].Id;
        }
        return unfinished;
    }

    /// <summary>
    /// The history of an execution as the API returns it: <c>executionId</c>, <c>status</c>,
    /// <c>transitionCount</c> and <c>events</c> (so far, for a running one); null when there is no such execution.
    /// </summary>
    public JsonObject? ReadHistory(string name)
    {
        using var connection = _database.OpenRead();
        JsonObject history;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT execution_id, status, transition_count, events FROM executions WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            history = new JsonObject
            {
                ["executionId"] = reader.GetString(0),
                ["status"] = reader.GetString(1),
                ["transitionCount"] = reader.GetInt32(2),
            };
            if (!reader.IsDBNull(3))
            {
                history["events"] = HistoryBlob.Read((byte[])reader.GetValue(3));
                return history;
            }
        }
        history["events"] = JsonNode.Parse(HistoryBlob.JoinEvents(ReadEventRows(connection, name)));
        return history;
    }

    /// <inheritdoc />
    public Task SaveAsync(ExecutionCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var name = checkpoint.ExecutionName;
        var events = NewEvents(name, checkpoint.History);
        var json = new ExecutionCheckpoint
        {
            ExecutionId = checkpoint.ExecutionId,
            ExecutionName = name,
            StartTime = checkpoint.StartTime,
            ExecutionInput = checkpoint.ExecutionInput,
            NextState = checkpoint.NextState,
            StateInput = checkpoint.StateInput,
            TransitionCount = checkpoint.TransitionCount,
            History = [],
        }.ToJson();
        return WriteAsync(name, events, "UPDATE executions SET checkpoint = $value, transition_count = $count WHERE name = $name AND status = 'RUNNING'",
            json, checkpoint.TransitionCount, status: null, stoppedAt: null);
    }

    /// <inheritdoc />
    public Task CompletedAsync(ExecutionResult result, CancellationToken cancellationToken)
    {
        var name = NameOf(result);
        var events = name is null ? [] : NewEvents(name, result.History);
        var json = new ExecutionResult
        {
            ExecutionId = result.ExecutionId,
            Status = result.Status,
            Output = result.Output,
            Error = result.Error,
            Cause = result.Cause,
            TransitionCount = result.TransitionCount,
            StartDate = result.StartDate,
            StopDate = result.StopDate,
            History = [],
        }.ToJson();
        return WriteAsync(name, events,
            "UPDATE executions SET status = $status, stopped_at = $stopped, transition_count = $count, result = $value, checkpoint = NULL WHERE execution_id = $id",
            json, result.TransitionCount, result.Status.ToString(), result.StopDate, result.ExecutionId);
    }

    /// <summary>
    /// Ends an execution that is not running in this process ABORTED, with an <c>ExecutionAborted</c> event after its
    /// stored ones; nothing when there is no such execution or it has ended.
    /// </summary>
    public Task AbortAsync(string name, string error, string cause) =>
        _database.Writer.WriteAsync(connection =>
        {
            var now = DateTimeOffset.UtcNow;
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE executions SET status = 'ABORTED', stopped_at = $stopped, checkpoint = NULL WHERE name = $name AND status = $running";
            update.Parameters.AddWithValue("$stopped", now.ToString("O", CultureInfo.InvariantCulture));
            update.Parameters.AddWithValue("$name", name);
            update.Parameters.AddWithValue("$running", Running);
            if (update.ExecuteNonQuery() == 0) return 0;
            using var last = connection.CreateCommand();
            last.CommandText = "SELECT COALESCE(MAX(id), 0) FROM execution_events WHERE name = $name";
            last.Parameters.AddWithValue("$name", name);
            var id = (long)last.ExecuteScalar()! + 1;
            var aborted = new HistoryEvent { Id = id, Timestamp = now, Type = "ExecutionAborted", Error = error, Cause = cause };
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT OR IGNORE INTO execution_events (name, id, event) VALUES ($name, $id, $event)";
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$event", JsonSerializer.Serialize(aborted, EventJson));
            insert.ExecuteNonQuery();
            Compact(connection, name);
            _storedEvents.TryRemove(name, out _);
            return 1;
        });

    private string? NameOf(ExecutionResult result)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM executions WHERE execution_id = $id";
        command.Parameters.AddWithValue("$id", result.ExecutionId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The events not stored yet, serialized (outside the writer).</summary>
    private List<(long Id, string Json)> NewEvents(string name, IReadOnlyList<HistoryEvent> history)
    {
        var stored = _storedEvents.GetValueOrDefault(name);
        return history.Where(e => e.Id > stored).Select(e => (e.Id, JsonSerializer.Serialize(e, EventJson))).ToList();
    }

    private Task WriteAsync(string? name, List<(long Id, string Json)> events, string update, string value, int count, string? status, DateTimeOffset? stoppedAt, string? executionId = null) =>
        _database.Writer.WriteAsync(connection =>
        {
            if (name is not null)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT OR IGNORE INTO execution_events (name, id, event) VALUES ($name, $id, $event)";
                var pName = insert.Parameters.Add("$name", Microsoft.Data.Sqlite.SqliteType.Text);
                var pId = insert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Integer);
                var pEvent = insert.Parameters.Add("$event", Microsoft.Data.Sqlite.SqliteType.Text);
                foreach (var (id, json) in events)
                {
                    pName.Value = name;
                    pId.Value = id;
                    pEvent.Value = json;
                    insert.ExecuteNonQuery();
                }
            }
            using var command = connection.CreateCommand();
            command.CommandText = update;
            command.Parameters.AddWithValue("$value", value);
            command.Parameters.AddWithValue("$count", count);
            if (name is not null) command.Parameters.AddWithValue("$name", name);
            if (status is not null) command.Parameters.AddWithValue("$status", status);
            if (stoppedAt is not null) command.Parameters.AddWithValue("$stopped", stoppedAt.Value.ToString("O", CultureInfo.InvariantCulture));
            if (executionId is not null) command.Parameters.AddWithValue("$id", executionId);
            var changed = command.ExecuteNonQuery();
            if (name is not null && status is not null) Compact(connection, name);
            if (name is not null && events.Count > 0)
            {
                if (status is null) _storedEvents[name] = events[^1].Id;
                else _storedEvents.TryRemove(name, out _);
            }
            return changed;
        });

    private static ExecutionCheckpoint WithHistory(ExecutionCheckpoint checkpoint, Microsoft.Data.Sqlite.SqliteConnection connection) => new()
    {
        ExecutionId = checkpoint.ExecutionId,
        ExecutionName = checkpoint.ExecutionName,
        StartTime = checkpoint.StartTime,
        ExecutionInput = checkpoint.ExecutionInput,
        NextState = checkpoint.NextState,
        StateInput = checkpoint.StateInput,
        TransitionCount = checkpoint.TransitionCount,
        History = ReadEventRows(connection, checkpoint.ExecutionName).Select(e => JsonSerializer.Deserialize<HistoryEvent>(e, EventJson)!).ToList(),
    };

    /// <summary>
    /// Moves an ended execution's events from <c>execution_events</c> into <c>executions.events</c> (inside the writer's
    /// transaction). When the execution has its compacted events already, they are kept and the rows only deleted.
    /// </summary>
    private static void Compact(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
    {
        var rows = ReadEventRows(connection, name);
        if (rows.Count == 0) return;
        using (var update = connection.CreateCommand())
        {
            update.CommandText = "UPDATE executions SET events = $events WHERE name = $name AND events IS NULL";
            update.Parameters.AddWithValue("$events", HistoryBlob.Write(HistoryBlob.JoinEvents(rows)));
            update.Parameters.AddWithValue("$name", name);
            update.ExecuteNonQuery();
        }
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM execution_events WHERE name = $name";
        delete.Parameters.AddWithValue("$name", name);
        delete.ExecuteNonQuery();
    }

    /// <summary>The events of an execution that has not been compacted (running, or ended under an earlier version), in order.</summary>
    private static List<string> ReadEventRows(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event FROM execution_events WHERE name = $name ORDER BY id";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        var events = new List<string>();
        while (reader.Read()) events.Add(reader.GetString(0));
        return events;
    }
}
