using System.Text.Json.Nodes;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary><c>arn:aws:states:::dynamodb:getItem</c> over an <see cref="IDynamoDbItemStore"/>.</summary>
public sealed class DynamoDbGetItemResource : ITaskResource, ITaskParametersValidator
{
    /// <summary>The Resource ARN this implements.</summary>
    public const string Arn = "arn:aws:states:::dynamodb:getItem";

    private readonly IDynamoDbItemStore _store;

    /// <summary>Creates the resource over <paramref name="store"/>.</summary>
    public DynamoDbGetItemResource(IDynamoDbItemStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(JsonNode? parameters) => DynamoDbResourceChecks.Validate(parameters, hasExpressions: true);

    /// <inheritdoc />
    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var (table, key) = DynamoDbUpdateItem.Target(invocation.Parameters);
        var item = await _store.GetItemAsync(table, key, cancellationToken).ConfigureAwait(false);
        return DynamoDbGetItem.Respond(invocation.Parameters, item);
    }
}
