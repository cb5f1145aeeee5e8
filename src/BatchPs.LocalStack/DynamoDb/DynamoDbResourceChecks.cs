using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>Load-time checks of DynamoDB task Parameters: required fields, and the expressions themselves when
/// they are written out in the definition (syntax, placeholders defined and all used).</summary>
internal static class DynamoDbResourceChecks
{
    private static readonly string[] RequiredFields = { "TableName", "Key" };

    public static IReadOnlyList<string> Validate(JsonNode? parameters, bool hasExpressions)
    {
        if (parameters is not JsonObject obj)
        {
            return ["Parameters must be an object with TableName and Key"];
        }
        var names = obj.Select(p => p.Key.EndsWith(".$", StringComparison.Ordinal) ? p.Key[..^2] : p.Key).ToHashSet(StringComparer.Ordinal);
        var problems = RequiredFields.Where(r => !names.Contains(r)).Select(r => $"the field '{r}' is required").ToList();
        if (problems.Count == 0 && hasExpressions)
        {
            problems.AddRange(CheckExpressions(obj));
        }
        return problems;
    }

    private static IEnumerable<string> CheckExpressions(JsonObject obj)
    {
        // Only what is static can be checked: dynamic expressions or placeholder maps ("...$") wait for run time.
        if (obj.Any(p => p.Key is "UpdateExpression.$" or "ConditionExpression.$" or "ExpressionAttributeNames.$" or "ExpressionAttributeValues.$"))
        {
            return [];
        }
        try
        {
            var values = obj["ExpressionAttributeValues"] is JsonObject templates
                ? new JsonObject(templates.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Placeholder(p.Value))))
                : null;
            var attributes = new ExpressionAttributes(obj["ExpressionAttributeNames"]?.DeepClone() as JsonObject, values);
            if (obj["ConditionExpression"] is JsonValue c && c.TryGetValue<string>(out var condition))
            {
                new ExpressionParser(condition, attributes, "ConditionExpression").ParseCondition();
            }
            if (obj["UpdateExpression"] is JsonValue u && u.TryGetValue<string>(out var update))
            {
                new ExpressionParser(update, attributes, "UpdateExpression").ParseUpdate();
            }
            if (obj["ProjectionExpression"] is JsonValue p && p.TryGetValue<string>(out var projection))
            {
                new ExpressionParser("REMOVE " + projection, attributes, "ProjectionExpression").ParseUpdate();
            }
            attributes.CheckAllUsed();
            return [];
        }
        catch (StatesErrorException e)
        {
            return [e.Cause ?? e.Error];
        }
    }

    /// <summary>A stand-in of the right type for an attribute value template such as <c>{"S.$": "$.id"}</c>.</summary>
    private static JsonNode? Placeholder(JsonNode? template)
    {
        if (template is JsonObject { Count: 1 } value && value.First().Key.EndsWith(".$", StringComparison.Ordinal))
        {
            var type = value.First().Key[..^2];
            return new JsonObject
            {
                [type] = type switch
                {
                    "N" => "0",
                    "BOOL" or "NULL" => true,
                    "M" => new JsonObject(),
                    "L" => new JsonArray(),
                    "SS" => new JsonArray("x"),
                    "NS" => new JsonArray("0"),
                    "BS" => new JsonArray("AA=="),
                    _ => "",
                },
            };
        }
        return template?.DeepClone();
    }
}
