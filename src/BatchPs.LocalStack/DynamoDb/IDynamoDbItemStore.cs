using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>
/// What the local DynamoDB resources need from a store (the local stack's SQLite): read one item, and replace it
/// only if it has not changed since it was read (compare-and-swap). Items are in DynamoDB JSON.
/// A replace records the task invocation that made it, with its response, in the same write: an execution resumed
/// after a crash that fell between the write and the execution's checkpoint runs that task again under the same
/// invocation id, and must get the first response back rather than evaluate its condition a second time.
/// </summary>
public interface IDynamoDbItemStore
{
    /// <summary>The item with <paramref name="key"/> in <paramref name="tableName"/>, or null.</summary>
    Task<JsonObject?> GetItemAsync(string tableName, JsonObject key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="item"/> if the stored item is still <paramref name="expected"/> (null: still absent);
    /// false when it changed meanwhile (the caller reads again and re-evaluates the condition). An unknown table
    /// throws <see cref="BatchPs.StateMachine.Errors.StatesErrorException"/> named <c>DynamoDB.ResourceNotFoundException</c>.
    /// </summary>
    Task<bool> TryReplaceItemAsync(string tableName, JsonObject key, JsonObject? expected, JsonObject item, string invocationId, JsonObject response, CancellationToken cancellationToken);

    /// <summary>The response of the update that task invocation <paramref name="invocationId"/> already applied, or null.</summary>
    Task<JsonObject?> GetAppliedResponseAsync(string invocationId, CancellationToken cancellationToken);
}
