using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>Checks shared by the UpdateItem and GetItem request shapes (DynamoDB API reference).</summary>
internal static class DynamoDbRequest
{
    public static JsonObject Object(JsonNode? parameters, string action) =>
        parameters as JsonObject ?? throw DynamoDbErrors.Invalid($"The {action} parameters must be a JSON object");

    public static void CheckFields(JsonObject request, string action, params string[] allowed)
    {
        foreach (var pair in request)
        {
            if (!allowed.Contains(pair.Key))
            {
                throw DynamoDbErrors.Invalid($"{action}: the field \"{pair.Key}\" is not supported here (supported: {string.Join(", ", allowed)})");
            }
        }
        if (request["TableName"] is not JsonValue table || !table.TryGetValue<string>(out var name) || name.Length == 0)
        {
            throw DynamoDbErrors.Invalid($"{action}: TableName is required");
        }
    }

    public static JsonObject Key(JsonObject request)
    {
        if (request["Key"] is not JsonObject key || key.Count is < 1 or > 2)
        {
            throw DynamoDbErrors.Invalid("The provided key element does not match the schema: Key must name the partition key (and sort key)");
        }
        foreach (var pair in key)
        {
            var type = AttributeValues.TypeOf(pair.Value);
            if (type is not ("S" or "N" or "B"))
            {
                throw DynamoDbErrors.Invalid($"The provided key element does not match the schema: {pair.Key} must be S, N or B, not {type}");
            }
        }
        return key;
    }

    public static string? String(JsonObject request, string field) =>
        request[field] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw DynamoDbErrors.Invalid($"{field} must be a string"),
        };

    public static JsonObject? OptionalObject(JsonObject request, string field) =>
        request[field] switch
        {
            null => null,
            JsonObject o => o,
            _ => throw DynamoDbErrors.Invalid($"{field} must be an object"),
        };
}
