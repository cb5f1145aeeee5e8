using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>
/// DynamoDB UpdateItem semantics over one item in DynamoDB JSON, for a local <c>dynamodb:updateItem</c> resource:
/// ConditionExpression (comparisons, BETWEEN, IN, AND/OR/NOT, attribute_exists, attribute_not_exists,
/// attribute_type, begins_with, contains, size), UpdateExpression (SET with <c>+</c>/<c>-</c>, if_not_exists,
/// list_append; REMOVE; ADD; DELETE), ExpressionAttributeNames/Values (every one must be used) and ReturnValues.
/// A false condition fails with <c>DynamoDB.ConditionalCheckFailedException</c>; a malformed request with
/// <c>DynamoDB.AmazonDynamoDBException</c>, the names Step Functions gives them.
/// </summary>
public static class DynamoDbUpdateItem
{
    private static readonly string[] Fields =
    [
        "TableName", "Key", "UpdateExpression", "ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues",
        "ReturnValues", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "ReturnValuesOnConditionCheckFailure",
    ];

    /// <summary>The TableName and Key of an UpdateItem or GetItem request (to find the current item).</summary>
    public static (string TableName, JsonObject Key) Target(JsonNode? parameters)
    {
        var request = DynamoDbRequest.Object(parameters, "UpdateItem");
        return (DynamoDbRequest.String(request, "TableName") ?? throw DynamoDbErrors.Invalid("TableName is required"), DynamoDbRequest.Key(request));
    }

    /// <summary>Applies the request to <paramref name="current"/> (null when the table has no item with that key).</summary>
    public static DynamoDbUpdateResult Apply(JsonNode? parameters, JsonObject? current)
    {
        var request = DynamoDbRequest.Object(parameters, "UpdateItem");
        DynamoDbRequest.CheckFields(request, "UpdateItem", Fields);
        var key = DynamoDbRequest.Key(request);
        var attributes = new ExpressionAttributes(
            DynamoDbRequest.OptionalObject(request, "ExpressionAttributeNames"), DynamoDbRequest.OptionalObject(request, "ExpressionAttributeValues"));
        var condition = DynamoDbRequest.String(request, "ConditionExpression") is { } c
            ? new ExpressionParser(c, attributes, "ConditionExpression").ParseCondition()
            : null;
        var actions = DynamoDbRequest.String(request, "UpdateExpression") is { } u
            ? new ExpressionParser(u, attributes, "UpdateExpression").ParseUpdate()
            : [];
        attributes.CheckAllUsed();
        var returnValues = DynamoDbRequest.String(request, "ReturnValues") ?? "NONE";
        if (returnValues is not ("NONE" or "ALL_OLD" or "ALL_NEW" or "UPDATED_OLD" or "UPDATED_NEW"))
        {
            throw DynamoDbErrors.Invalid($"ReturnValues {returnValues} is not one of NONE, ALL_OLD, ALL_NEW, UPDATED_OLD, UPDATED_NEW");
        }
        foreach (var action in actions)
        {
            if (key.ContainsKey(action.Path.TopLevel))
            {
                throw DynamoDbErrors.Invalid($"One or more parameter values were invalid: Cannot update attribute {action.Path.TopLevel}. This attribute is part of the key");
            }
        }

        if (condition is not null && !condition.Evaluate(current))
        {
            throw DynamoDbErrors.ConditionFailed();
        }
        var item = (JsonObject?)current?.DeepClone() ?? (JsonObject)key.DeepClone();
        foreach (var action in actions)
        {
            action.Apply(item, current);
        }

        var response = new JsonObject();
        var touched = actions.Select(a => a.Path.TopLevel).ToHashSet(StringComparer.Ordinal);
        JsonObject? returned = returnValues switch
        {
            "ALL_OLD" => (JsonObject?)current?.DeepClone(),
            "ALL_NEW" => (JsonObject)item.DeepClone(),
            "UPDATED_OLD" => current is null ? null : Only(current, touched),
            "UPDATED_NEW" => Only(item, touched),
            _ => null,
        };
        if (returned is { Count: > 0 })
        {
            response["Attributes"] = returned;
        }
        return new DynamoDbUpdateResult(item, response);
    }

    private static JsonObject Only(JsonObject item, HashSet<string> names) =>
        new(item.Where(p => names.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
}
