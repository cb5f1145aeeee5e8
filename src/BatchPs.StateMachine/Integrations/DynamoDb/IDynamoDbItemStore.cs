using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Integrations.DynamoDb;

/// <summary>
/// What the local DynamoDB resources need from a store (the local stack's SQLite): read one item, and replace it
/// only if it has not changed since it was read (compare-and-swap). Items are in DynamoDB JSON.
/// </summary>
public interface IDynamoDbItemStore
{
    /// <summary>The item with <paramref name="key"/> in <paramref name="tableName"/>, or null.</summary>
    Task<JsonObject?> GetItemAsync(string tableName, JsonObject key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="item"/> if the stored item is still <paramref name="expected"/> (null: still absent);
    /// false when it changed meanwhile (the caller reads again and re-evaluates the condition). An unknown table
    /// throws <see cref="Errors.StatesErrorException"/> named <c>DynamoDB.ResourceNotFoundException</c>.
    /// </summary>
    Task<bool> TryReplaceItemAsync(string tableName, JsonObject key, JsonObject? expected, JsonObject item, CancellationToken cancellationToken);
}
