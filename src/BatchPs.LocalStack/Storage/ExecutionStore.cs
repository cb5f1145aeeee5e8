using System.Globalization;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The executions table: one row per workflow execution (named after its trigger), its latest
/// checkpoint while it runs and its result (status, transition count, full history) once it ended.
/// The interpreter waits for each save, so a restart resumes from the last completed state.
/// </summary>
internal sealed class ExecutionStore : IExecutionCheckpointSink
{
    /// <summary>Status of an execution that has not ended.</summary>
    public const string Running = "RUNNING";

    private readonly LocalDatabase _database;

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

    /// <summary>Every execution that has not ended: name, input and latest checkpoint (null before the first), oldest first.</summary>
    public IReadOnlyList<(string Name, string Input, string? Checkpoint)> ReadUnfinished()
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, input, checkpoint FROM executions WHERE status = $status ORDER BY started_at";
        command.Parameters.AddWithValue("$status", Running);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, string?)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return rows;
    }

    /// <summary>
    /// The history of an execution as the API returns it: <c>executionId</c>, <c>status</c>,
    /// <c>transitionCount</c> and <c>events</c> (so far, for a running one); null when there is no such execution.
    /// </summary>
    public JsonObject? ReadHistory(string name)
    {
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT execution_id, status, transition_count, checkpoint, result FROM executions WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var saved = !reader.IsDBNull(4) ? reader.GetString(4) : !reader.IsDBNull(3) ? reader.GetString(3) : null;
        var events = saved is null ? new JsonArray() : JsonNode.Parse(saved)!["history"]!.DeepClone().AsArray();
        return new JsonObject
        {
            ["executionId"] = reader.GetString(0),
            ["status"] = reader.GetString(1),
            ["transitionCount"] = reader.GetInt32(2),
            ["events"] = events,
        };
    }

    /// <inheritdoc />
    public Task SaveAsync(ExecutionCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var json = checkpoint.ToJson();
        return _database.Writer.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE executions SET checkpoint = $checkpoint, transition_count = $count WHERE name = $name AND status = $running";
            command.Parameters.AddWithValue("$checkpoint", json);
            command.Parameters.AddWithValue("$count", checkpoint.TransitionCount);
            command.Parameters.AddWithValue("$name", checkpoint.ExecutionName);
            command.Parameters.AddWithValue("$running", Running);
            return command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public Task CompletedAsync(ExecutionResult result, CancellationToken cancellationToken)
    {
        var json = result.ToJson();
        return _database.Writer.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE executions SET status = $status, stopped_at = $stopped, transition_count = $count, result = $result, checkpoint = NULL WHERE execution_id = $id";
            command.Parameters.AddWithValue("$status", result.Status.ToString());
            command.Parameters.AddWithValue("$stopped", result.StopDate.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$count", result.TransitionCount);
            command.Parameters.AddWithValue("$result", json);
            command.Parameters.AddWithValue("$id", result.ExecutionId);
            return command.ExecuteNonQuery();
        });
    }
}
