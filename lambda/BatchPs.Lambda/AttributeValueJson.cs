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
}
