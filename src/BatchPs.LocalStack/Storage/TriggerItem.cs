using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// A trigger record as the cloud's DynamoDB item (DynamoDB JSON): one attribute per field of the
/// record's JSON, same names, strings <c>S</c>, numbers <c>N</c>, objects <c>M</c>, plus
/// <c>statusRank</c> — so the shipped definition's expressions act on the local record as on the table.
/// </summary>
internal static class TriggerItem
{
    /// <summary>The attribute with the status rank (the forward-only conditions compare it).</summary>
    public const string StatusRank = "statusRank";

    /// <summary>The item of a stored record document.</summary>
    public static JsonObject FromDocument(string documentJson)
    {
        var document = JsonNode.Parse(documentJson)!.AsObject();
        var item = (JsonObject)ToAttribute(document)["M"]!;
        var status = TriggerStatusOrder.Parse((string?)document["status"]) ?? throw new InvalidOperationException($"A stored trigger has status '{document["status"]}'.");
        item[StatusRank] = new JsonObject { ["N"] = TriggerStatusOrder.Rank(status).ToString(CultureInfo.InvariantCulture) };
        return item;
    }

    /// <summary>
    /// The record an item describes. Throws <see cref="FormatException"/> when it is not a trigger record
    /// (a missing or unknown status, a statusRank that is not the status's, a field of the wrong type).
    /// </summary>
    public static TriggerRecord ToRecord(JsonObject item)
    {
        var plain = new JsonObject();
        foreach (var (name, value) in item)
        {
            if (name == StatusRank) continue;
            plain[name] = FromAttribute(value, name);
        }
        TriggerRecord record;
        try
        {
            record = plain.Deserialize<TriggerRecord>(BatchPsJson.Lenient) ?? throw new FormatException("The item is empty.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The item is not a trigger record: {ex.Message}", ex);
        }
        if (record.TriggerId.Length == 0) throw new FormatException("The item has no triggerId.");
        if (item[StatusRank] is JsonObject rank && (string?)rank["N"] != TriggerStatusOrder.Rank(record.Status).ToString(CultureInfo.InvariantCulture))
            throw new FormatException($"statusRank {rank["N"]} is not the rank of status {record.Status} ({TriggerStatusOrder.Rank(record.Status)}).");
        return record;
    }

    private static JsonObject ToAttribute(JsonNode? value) => value switch
    {
        null => new JsonObject { ["NULL"] = true },
        JsonObject o => new JsonObject { ["M"] = new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ToAttribute(p.Value)))) },
        JsonArray a => new JsonObject { ["L"] = new JsonArray(a.Select(e => (JsonNode?)ToAttribute(e)).ToArray()) },
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => new JsonObject { ["S"] = v.GetValue<string>() },
            JsonValueKind.Number => new JsonObject { ["N"] = v.ToJsonString() },
            JsonValueKind.True or JsonValueKind.False => new JsonObject { ["BOOL"] = v.GetValue<bool>() },
            _ => new JsonObject { ["NULL"] = true },
        },
        _ => throw new InvalidOperationException("Unexpected JSON node."),
    };

    private static JsonNode? FromAttribute(JsonNode? attribute, string name)
    {
        if (attribute is not JsonObject { Count: 1 } typed)
            throw new FormatException($"Attribute '{name}' is not an AttributeValue.");
        var (type, value) = typed.First();
        return type switch
        {
            "S" => JsonValue.Create((string?)value),
            "N" => decimal.TryParse((string?)value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                ? (n == decimal.Truncate(n) && n is >= long.MinValue and <= long.MaxValue ? JsonValue.Create((long)n) : JsonValue.Create(n))
                : throw new FormatException($"Attribute '{name}' is N '{value}', not a number."),
            "BOOL" => JsonValue.Create((bool?)value),
            "NULL" => null,
            "M" => new JsonObject(((JsonObject)value!).Select(p => KeyValuePair.Create(p.Key, FromAttribute(p.Value, name + "." + p.Key)))),
            "L" => new JsonArray(((JsonArray)value!).Select(e => FromAttribute(e, name)).ToArray()),
            _ => throw new FormatException($"Attribute '{name}' has type {type}, which a trigger record does not hold."),
        };
    }
}
