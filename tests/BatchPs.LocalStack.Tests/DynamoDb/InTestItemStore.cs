using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BatchPs.LocalStack.DynamoDb;

namespace BatchPs.LocalStack.Tests.DynamoDb;

/// <summary>An in-test item store behind the <see cref="IDynamoDbItemStore"/> seam; <see cref="Conflicts"/> makes the
/// next replaces lose a race.</summary>
internal sealed class InTestItemStore : IDynamoDbItemStore
{
    public ConcurrentDictionary<string, JsonObject> Items { get; } = new();
    public int Conflicts { get; set; }
    public int Replaces { get; private set; }

    public static string Id(string tableName, JsonObject key) => tableName + key.ToJsonString();

    public Task<JsonObject?> GetItemAsync(string tableName, JsonObject key, CancellationToken cancellationToken) =>
        Task.FromResult(Items.TryGetValue(Id(tableName, key), out var item) ? (JsonObject?)item.DeepClone() : null);

    public ConcurrentDictionary<string, JsonObject> Applied { get; } = new();

    public Task<JsonObject?> GetAppliedResponseAsync(string invocationId, CancellationToken cancellationToken) =>
        Task.FromResult(Applied.TryGetValue(invocationId, out var response) ? (JsonObject?)response.DeepClone() : null);

    public Task<bool> TryReplaceItemAsync(string tableName, JsonObject key, JsonObject? expected, JsonObject item, string invocationId, JsonObject response, CancellationToken cancellationToken)
    {
        Replaces++;
        if (Conflicts > 0)
        {
            Conflicts--;
            return Task.FromResult(false);
        }
        var id = Id(tableName, key);
        Items.TryGetValue(id, out var stored);
        if (!JsonNode.DeepEquals(stored, expected))
        {
            return Task.FromResult(false);
        }
        Items[id] = (JsonObject)item.DeepClone();
        Applied[invocationId] = (JsonObject)response.DeepClone();
        return Task.FromResult(true);
    }
}
