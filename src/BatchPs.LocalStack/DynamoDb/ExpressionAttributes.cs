using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>ExpressionAttributeNames and ExpressionAttributeValues, with the check DynamoDB makes that each is used.</summary>
internal sealed class ExpressionAttributes
{
    private readonly JsonObject _names;
    private readonly JsonObject _values;
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedValues = new(StringComparer.Ordinal);

    public ExpressionAttributes(JsonObject? names, JsonObject? values)
    {
        _names = names ?? [];
        _values = values ?? [];
        foreach (var pair in _values)
        {
            var type = AttributeValues.TypeOf(pair.Value);
            if (type is "SS" or "NS" or "BS" && pair.Value![type] is not JsonArray { Count: > 0 })
            {
                throw DynamoDbErrors.Invalid($"One or more parameter values were invalid: An {(type == "SS" ? "string" : type == "NS" ? "number" : "binary")} set may not be empty ({pair.Key})");
            }
        }
    }

    public string Name(string placeholder)
    {
        _usedNames.Add(placeholder);
        return _names[placeholder] is JsonValue v && v.TryGetValue<string>(out var name)
            ? name
            : throw DynamoDbErrors.Invalid($"Value provided in ExpressionAttributeNames unused in expressions or An expression attribute name used in the document path is not defined; attribute name: {placeholder}");
    }

    public JsonNode Value(string placeholder)
    {
        _usedValues.Add(placeholder);
        return _values[placeholder]?.DeepClone()
            ?? throw DynamoDbErrors.Invalid($"An expression attribute value used in expression is not defined; attribute value: {placeholder}");
    }

    /// <summary>DynamoDB refuses names and values that no expression uses.</summary>
    public void CheckAllUsed()
    {
        var names = _names.Select(p => p.Key).Where(k => !_usedNames.Contains(k)).ToList();
        if (names.Count > 0)
        {
            throw DynamoDbErrors.Invalid($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", names)}}}");
        }
        var values = _values.Select(p => p.Key).Where(k => !_usedValues.Contains(k)).ToList();
        if (values.Count > 0)
        {
            throw DynamoDbErrors.Invalid($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", values)}}}");
        }
    }
}
