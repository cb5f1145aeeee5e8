using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>DynamoDB GetItem's response for a local <c>dynamodb:getItem</c> resource: <c>{"Item": ...}</c>, or
/// <c>{}</c> when there is no item, with ProjectionExpression applied (attributes and nested map keys).</summary>
public static class DynamoDbGetItem
{
    private static readonly string[] Fields =
        ["TableName", "Key", "ProjectionExpression", "ExpressionAttributeNames", "ConsistentRead", "ReturnConsumedCapacity"];

    /// <summary>The GetItem response for <paramref name="item"/> (null when the table has no item with that key).</summary>
    public static JsonObject Respond(JsonNode? parameters, JsonObject? item)
    {
        var request = DynamoDbRequest.Object(parameters, "GetItem");
        DynamoDbRequest.CheckFields(request, "GetItem", Fields);
        DynamoDbRequest.Key(request);
        var attributes = new ExpressionAttributes(DynamoDbRequest.OptionalObject(request, "ExpressionAttributeNames"), null);
        var projection = DynamoDbRequest.String(request, "ProjectionExpression");
        IReadOnlyList<DocumentPath>? paths = projection is null ? null : ParseProjection(projection, attributes);
        attributes.CheckAllUsed();
        if (item is null)
        {
            return new JsonObject();
        }
        if (paths is null)
        {
            return new JsonObject { ["Item"] = item.DeepClone() };
        }
        var projected = new JsonObject();
        foreach (var path in paths)
        {
            if (path.Get(item) is { } value)
            {
                Project(projected, path, value);
            }
        }
        return new JsonObject { ["Item"] = projected };
    }

    private static IReadOnlyList<DocumentPath> ParseProjection(string projection, ExpressionAttributes attributes)
    {
        // A projection is a comma-separated list of document paths, as a REMOVE clause lists them.
        var paths = new ExpressionParser("REMOVE " + projection, attributes, "ProjectionExpression").ParseUpdate().Select(a => a.Path).ToList();
        if (paths.Any(p => p.Segments.Any(s => s is int)))
        {
            throw DynamoDbErrors.Invalid("ProjectionExpression: list elements ([n]) are not supported by the local GetItem; project the whole list");
        }
        return paths;
    }

    /// <summary>Copies the value at <paramref name="path"/> into <paramref name="target"/>, keeping its enclosing maps.</summary>
    private static void Project(JsonObject target, DocumentPath path, JsonNode value)
    {
        var current = target;
        for (var i = 0; i < path.Segments.Count - 1; i++)
        {
            var name = (string)path.Segments[i];
            if (current[name]?["M"] is not JsonObject map)
            {
                map = new JsonObject();
                current[name] = new JsonObject { ["M"] = map };
            }
            current = map;
        }
        current[(string)path.Segments[^1]] = value.DeepClone();
    }
}
