using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.LocalStack.DynamoDb;
using BatchPs.Core.Triggers;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The triggers table as the DynamoDB table the definition names (<see cref="TableName"/>, key
/// <c>triggerId</c>): items are <see cref="TriggerItem"/>s of the stored records; a replace is a
/// compare-and-swap in the single writer and keeps the indexed columns (status, rank, version) in sync.
/// </summary>
internal sealed class TriggerItemStore : IDynamoDbItemStore, IDisposable
{
    /// <summary>The table name the local stack substitutes for <c>${TriggerTableName}</c>.</summary>
    public const string TableName = "BatchPsLocalTriggers";

    private readonly LocalDatabase _database;
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _recordApplied;

    public TriggerItemStore(LocalDatabase database)
    {
        _database = database;
        _find = database.PrepareWrite("SELECT doc FROM triggers WHERE trigger_id = $id", "$id");
        _update = database.PrepareWrite(
            "UPDATE triggers SET status = $status, status_rank = $rank, version = $version, doc = $doc WHERE trigger_id = $id",
            "$status", "$rank", "$version", "$doc", "$id");
        _recordApplied = database.PrepareWrite("INSERT OR REPLACE INTO applied_updates (invocation_id, response) VALUES ($invocation, $response)", "$invocation", "$response");
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

    /// <inheritdoc />
    public Task<JsonObject?> GetItemAsync(string tableName, JsonObject key, CancellationToken cancellationToken)
    {
        var triggerId = TriggerIdOf(tableName, key);
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM triggers WHERE trigger_id = $id";
        command.Parameters.AddWithValue("$id", triggerId);
        return Task.FromResult(command.ExecuteScalar() is string json ? TriggerItem.FromDocument(json) : null);
    }

    /// <inheritdoc />
    public Task<bool> TryReplaceItemAsync(string tableName, JsonObject key, JsonObject? expected, JsonObject item, string invocationId, JsonObject response, CancellationToken cancellationToken)
    {
        var triggerId = TriggerIdOf(tableName, key);
        if (expected is null)
            throw Validation("the local trigger table only updates existing triggers; triggers are created by POST /triggers.");
        TriggerRecord record;
        try
        {
            record = TriggerItem.ToRecord(item);
        }
        catch (FormatException ex)
        {
            throw Validation("the local trigger table keeps trigger records: " + ex.Message);
        }
        if (record.TriggerId != triggerId) throw Validation("an update cannot change the key attribute triggerId.");
        var document = JsonSerializer.Serialize(record, LocalJson.Options);
        var responseJson = response.ToJsonString();
        return _database.Writer.WriteAsync(_ =>
        {
            _find.Parameters[0].Value = triggerId;
            if (_find.ExecuteScalar() is not string current || !JsonNode.DeepEquals(TriggerItem.FromDocument(current), expected)) return false;
            var p = _update.Parameters;
            p[0].Value = record.Status.ToString();
            p[1].Value = TriggerStatusOrder.Rank(record.Status);
            p[2].Value = record.Version;
            p[3].Value = document;
            p[4].Value = triggerId;
            if (_update.ExecuteNonQuery() != 1) return false;
            // In the same transaction: a resumed execution re-running this invocation gets this response back.
            _recordApplied.Parameters[0].Value = invocationId;
            _recordApplied.Parameters[1].Value = responseJson;
            _recordApplied.ExecuteNonQuery();
            return true;
        });
    }

    public void Dispose()
    {
        _find.Dispose();
        _update.Dispose();
        _recordApplied.Dispose();
    }

    private static string TriggerIdOf(string tableName, JsonObject key)
    {
        if (tableName != TableName)
            throw new StatesErrorException("DynamoDB.ResourceNotFoundException", $"Requested resource not found: Table: {tableName} not found. The local stack has one table, '{TableName}' (substituted for ${{TriggerTableName}}).");
        if (key.Count != 1 || key["triggerId"] is not JsonObject { Count: 1 } id || id["S"] is not JsonValue value || !value.TryGetValue<string>(out var triggerId))
            throw Validation("the provided key element does not match the schema: the key is {\"triggerId\": {\"S\": \"...\"}}.");
        return triggerId;
    }

    private static StatesErrorException Validation(string message) =>
        new("DynamoDB.AmazonDynamoDBException", $"One or more parameter values were invalid: {message} (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException)");
}
