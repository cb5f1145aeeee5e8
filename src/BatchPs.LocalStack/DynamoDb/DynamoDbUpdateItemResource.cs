using System.Text.Json.Nodes;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>
/// <c>arn:aws:states:::dynamodb:updateItem</c> over an <see cref="IDynamoDbItemStore"/>: read, evaluate the
/// condition and update (<see cref="DynamoDbUpdateItem"/>), then compare-and-swap, again from the read when
/// another writer got there first — so the condition is atomic with the write, as in DynamoDB. An invocation that
/// already applied its update (see <see cref="IDynamoDbItemStore"/>) gets its first response again.
/// </summary>
public sealed class DynamoDbUpdateItemResource : ITaskResource, ITaskParametersValidator
{
    /// <summary>The Resource ARN this implements.</summary>
    public const string Arn = "arn:aws:states:::dynamodb:updateItem";

    private readonly IDynamoDbItemStore _store;

    /// <summary>Creates the resource over <paramref name="store"/>.</summary>
    public DynamoDbUpdateItemResource(IDynamoDbItemStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(JsonNode? parameters) => DynamoDbResourceChecks.Validate(parameters, hasExpressions: true);

    /// <inheritdoc />
    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var (table, key) = DynamoDbUpdateItem.Target(invocation.Parameters);
        if (await _store.GetAppliedResponseAsync(invocation.InvocationId, cancellationToken).ConfigureAwait(false) is { } applied)
        {
            return applied; // a resumed execution re-running a task whose write landed before its checkpoint
        }
        while (true)
        {
            var current = await _store.GetItemAsync(table, key, cancellationToken).ConfigureAwait(false);
            var result = DynamoDbUpdateItem.Apply(invocation.Parameters, current);
            if (await _store.TryReplaceItemAsync(table, key, current, result.Item, invocation.InvocationId, result.Response, cancellationToken).ConfigureAwait(false))
            {
                return result.Response;
            }
        }
    }
}
