using System.Globalization;
using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>DynamoDB attribute values in their JSON form (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, <c>{"M":{...}}</c>...).</summary>
internal static class AttributeValues
{
    private static readonly string[] Types = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

    /// <summary>The type descriptor of <paramref name="value"/>; a validation error when it is not an attribute value.</summary>
    public static string TypeOf(JsonNode? value)
    {
        if (value is JsonObject obj && obj.Count == 1 && Types.Contains(obj.First().Key))
        {
            return obj.First().Key;
        }
        throw DynamoDbErrors.Invalid($"Supplied AttributeValue is not valid: {value?.ToJsonString() ?? "null"}");
    }

    public static decimal Number(JsonNode value, string type = "N")
    {
        var text = value[type]!.GetValue<string>();
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw DynamoDbErrors.Invalid($"A value provided cannot be converted into a number: {text}");
    }

    public static JsonObject FromNumber(decimal number) =>
        new() { ["N"] = number.ToString(CultureInfo.InvariantCulture) };

    /// <summary>DynamoDB equality: same type and value (numbers compare numerically, sets ignore order).</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return false;
        }
        var type = TypeOf(a);
        if (type != TypeOf(b))
        {
            return false;
        }
        return type switch
        {
            "N" => Number(a) == Number(b),
            "SS" or "BS" => SetOf(a, type).SetEquals(SetOf(b, type)),
            "NS" => a["NS"]!.AsArray().Select(n => decimal.Parse(n!.GetValue<string>(), CultureInfo.InvariantCulture)).ToHashSet()
                .SetEquals(b["NS"]!.AsArray().Select(n => decimal.Parse(n!.GetValue<string>(), CultureInfo.InvariantCulture))),
            _ => JsonNode.DeepEquals(a, b),
        };
    }

    /// <summary>Orders two values of the same scalar type (S, N, B); null when they cannot be ordered.</summary>
    public static int? Compare(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return null;
        }
        var type = TypeOf(a);
        if (type != TypeOf(b))
        {
            return null;
        }
        return type switch
        {
            "N" => Number(a).CompareTo(Number(b)),
            "S" or "B" => string.CompareOrdinal(a[type]!.GetValue<string>(), b[type]!.GetValue<string>()),
            _ => null,
        };
    }

    public static HashSet<string> SetOf(JsonNode value, string type) =>
        value[type]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
}
