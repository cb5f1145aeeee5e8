using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;

namespace BatchPs.Lambda;

/// <summary>
/// The one place where Core's DynamoDB JSON (<see cref="BatchPs.Core.Triggers.TriggerItem"/>'s attribute values,
/// <c>{"S": "..."}</c>, <c>{"N": "1"}</c>, <c>{"M": {...}}</c>...) becomes the AWS SDK's <see cref="AttributeValue"/>.
/// </summary>
internal static class AttributeValueJson
{
    /// <summary>The SDK value of one attribute value in DynamoDB JSON; throws <see cref="FormatException"/> for a type it does not know.</summary>
    public static AttributeValue ToAttributeValue(JsonObject value)
    {
        if (value.Count != 1) throw new FormatException($"{value.ToJsonString()} is not an AttributeValue (one type key).");
        var (type, content) = value.First();
        return type switch
        {
            "S" => new AttributeValue { S = (string)content! },
            "N" => new AttributeValue { N = (string)content! },
            "BOOL" => new AttributeValue { BOOL = (bool)content! },
            "NULL" => new AttributeValue { NULL = true },
            "M" => new AttributeValue { M = content!.AsObject().ToDictionary(p => p.Key, p => ToAttributeValue(p.Value!.AsObject())) },
            "L" => new AttributeValue { L = content!.AsArray().Select(e => ToAttributeValue(e!.AsObject())).ToList() },
            _ => throw new FormatException($"Attribute type {type} is not one a trigger item holds."),
        };
    }

    /// <summary>The DynamoDB JSON of an SDK value (the inverse of <see cref="ToAttributeValue"/>); throws <see cref="FormatException"/> for a type a trigger item does not hold.</summary>
    public static JsonObject FromAttributeValue(AttributeValue value)
    {
        if (value.S is not null) return new JsonObject { ["S"] = value.S };
        if (value.N is not null) return new JsonObject { ["N"] = value.N };
        if (value.BOOL is bool flag) return new JsonObject { ["BOOL"] = flag };
        if (value.NULL == true) return new JsonObject { ["NULL"] = true };
        if (value.M is not null) return new JsonObject { ["M"] = FromItem(value.M) };
        if (value.L is not null) return new JsonObject { ["L"] = new JsonArray(value.L.Select(e => (JsonNode)FromAttributeValue(e)).ToArray()) };
        throw new FormatException("An attribute value has a type a trigger item does not hold (binary or a set).");
    }

    /// <summary>An SDK item (or key) as DynamoDB JSON.</summary>
    public static JsonObject FromItem(Dictionary<string, AttributeValue> item) =>
        new(item.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, FromAttributeValue(p.Value))));
}
