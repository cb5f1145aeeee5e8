using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BatchPs.Core.Json;

namespace BatchPs.Core.Triggers;

/// <summary>
/// The trigger item: the one schema and codec of a <see cref="TriggerRecord"/> as a DynamoDB item, used by the
/// cloud (the stream Lambda's reads and writes) and the local stack (its SQLite table seen as that DynamoDB table).
/// Every attribute is a field of the record's JSON with the same name (so a new record field is a new attribute
/// with no edit here): strings <c>S</c>, whole numbers <c>N</c>, maps <c>M</c>, times ISO 8601 UTC strings
/// (<see cref="FormatTime"/>); plus <see cref="StatusRank"/> (the forward-only conditions compare it) and, in the
/// cloud, <see cref="ExpiresAt"/> (the TTL, epoch seconds, not part of the record); and the keys of the list indexes
/// (<see cref="ListPartition"/>, <see cref="CreatedKey"/>), which <c>GET /triggers</c> queries. Items are DynamoDB JSON
/// (<c>{"triggerId": {"S": "..."}, ...}</c>); the Lambda maps them to the AWS SDK's types in one place.
/// </summary>
public static class TriggerItem
{
    /// <summary>The key attribute.</summary>
    public const string TriggerId = "triggerId";
    /// <summary>The status attribute (the status name).</summary>
    public const string Status = "status";
    /// <summary>The attribute holding <see cref="TriggerStatusOrder.Rank"/> of the status.</summary>
    public const string StatusRank = "statusRank";
    /// <summary>The attribute every write increments by one.</summary>
    public const string Version = "version";
    /// <summary>When the record last changed.</summary>
    public const string UpdatedAt = "updatedAt";
    /// <summary>When the record entered its status.</summary>
    public const string StatusChangedAt = "statusChangedAt";
    /// <summary>The TTL attribute of the cloud table (epoch seconds); not a record field.</summary>
    public const string ExpiresAt = "expiresAt";
    /// <summary>
    /// The partition key of the <see cref="AllIndex"/> index: the same value (<see cref="ListPartitionValue"/>) on every
    /// item, so one Query lists every job's triggers newest first. Not a record field.
    /// </summary>
    public const string ListPartition = "listPartition";
    /// <summary>The value of <see cref="ListPartition"/> on every trigger item.</summary>
    public const string ListPartitionValue = "triggers";
    /// <summary>
    /// The sort key of both list indexes: <c>createdAt</c> as the item stores it, <c>|</c>, the trigger id
    /// (<see cref="CreatedKeyOf"/>), so triggers of the same second are ordered by id. Not a record field.
    /// </summary>
    public const string CreatedKey = "createdKey";
    /// <summary>The index of one job's triggers: partition <c>jobName</c>, sort <see cref="CreatedKey"/>.</summary>
    public const string JobIndex = "byJob";
    /// <summary>The index of every trigger: partition <see cref="ListPartition"/>, sort <see cref="CreatedKey"/>.</summary>
    public const string AllIndex = "byCreated";

    /// <summary>Attributes of the item that are not record fields.</summary>
    private static readonly string[] NotRecordFields = { StatusRank, ExpiresAt, ListPartition, CreatedKey };

    private static readonly string[] Required = { TriggerId, "jobName", Status, "createdAt" };

    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Each settable update property, its attribute name, and the record property it sets.</summary>
    private static readonly (string Attribute, PropertyInfo Update, PropertyInfo Record)[] UpdateFields =
        typeof(TriggerUpdate).GetProperties().Where(p => p.CanWrite).Select(p =>
        {
            var target = typeof(TriggerRecord).GetProperty(p.Name);
            if (target is null || target.PropertyType != p.PropertyType || !target.CanWrite)
                throw new InvalidOperationException($"TriggerUpdate.{p.Name} must be a settable TriggerRecord property of type {p.PropertyType.Name}.");
            return (JsonNamingPolicy.CamelCase.ConvertName(p.Name), p, target);
        }).ToArray();

    /// <summary>The item of a record, with <see cref="StatusRank"/>.</summary>
    public static JsonObject FromRecord(TriggerRecord record)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        var plain = JsonSerializer.SerializeToNode(record, Options)!.AsObject();
        var item = new JsonObject();
        foreach (var field in plain)
        {
            if (field.Value is not null) item[field.Key] = ToAttribute(field.Value);
        }
        item[StatusRank] = Number(TriggerStatusOrder.Rank(record.Status));
        item[ListPartition] = StringValue(ListPartitionValue);
        item[CreatedKey] = StringValue(CreatedKeyOf(FormatTime(record.CreatedAt), record.TriggerId));
        return item;
    }

    /// <summary>The <see cref="CreatedKey"/> of a trigger created at <paramref name="createdAt"/> (as the item stores it).</summary>
    public static string CreatedKeyOf(string createdAt, string triggerId) => createdAt + "|" + triggerId;

    /// <summary>
    /// The record an item describes. Throws <see cref="FormatException"/> naming the attribute when the item is not a
    /// trigger record: a required attribute missing (<c>triggerId</c>, <c>jobName</c>, <c>status</c>, <c>createdAt</c>),
    /// an unknown status, a <see cref="StatusRank"/> that is not the status's, a value of the wrong type.
    /// Attributes that are not record fields (<see cref="ExpiresAt"/>, the index keys, others a custom workflow added) are ignored.
    /// </summary>
    public static TriggerRecord ToRecord(JsonObject item)
    {
        if (item is null) throw new ArgumentNullException(nameof(item));
        foreach (var name in Required)
        {
            if (!item.TryGetPropertyValue(name, out var value) || value is not JsonObject typed || !typed.TryGetPropertyValue("S", out var s) || s is not JsonValue)
                throw new FormatException($"Attribute '{name}' is missing or not a string (S).");
        }
        var statusName = (string?)item[Status]!["S"];
        var status = TriggerStatusOrder.Parse(statusName) ?? throw new FormatException($"Attribute 'status' is '{statusName}', not a trigger status.");
        if (item[StatusRank] is { } rank && !JsonNode.DeepEquals(rank, Number(TriggerStatusOrder.Rank(status))))
            throw new FormatException($"Attribute 'statusRank' is {rank.ToJsonString()}, not the rank of status {status} ({TriggerStatusOrder.Rank(status)}).");

        var plain = new JsonObject();
        foreach (var attribute in item)
        {
            if (NotRecordFields.Contains(attribute.Key)) continue;
            plain[attribute.Key] = FromAttribute(attribute.Value, attribute.Key);
        }
        try
        {
            return plain.Deserialize<TriggerRecord>(Options) ?? throw new FormatException("The item is empty.");
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p.Substring(2) : "?";
            throw new FormatException($"Attribute '{path}' has a value of the wrong type for a trigger record: {ex.Message}", ex);
        }
    }

    /// <summary>The record of an item read as a <see cref="JsonElement"/> (a DynamoDB stream image).</summary>
    public static TriggerRecord ToRecord(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object
            ? ToRecord(JsonObject.Create(item)!)
            : throw new FormatException($"The item is a JSON {item.ValueKind}, not an object of attributes.");

    /// <summary>
    /// What a write of <paramref name="update"/> sets, in order, as (attribute, value): the status and
    /// <see cref="UpdatedAt"/>; when <paramref name="statusMoves"/> (the status changes), <see cref="StatusRank"/> and
    /// <see cref="StatusChangedAt"/>; then every field the update carries (<see cref="Fields"/>), under the record
    /// field's name. Every write also increments <see cref="Version"/> by one. The cloud's UpdateItem sets exactly
    /// these; <see cref="Apply"/> makes the same change to a record (the local store's writes).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, JsonObject>> Sets(TriggerUpdate update, DateTimeOffset now, bool statusMoves)
    {
        if (update is null) throw new ArgumentNullException(nameof(update));
        var sets = new List<KeyValuePair<string, JsonObject>>
        {
            new(Status, StringValue(update.Status.ToString())),
            new(UpdatedAt, StringValue(FormatTime(now))),
        };
        if (statusMoves)
        {
            sets.Add(new(StatusRank, Number(TriggerStatusOrder.Rank(update.Status))));
            sets.Add(new(StatusChangedAt, StringValue(FormatTime(now))));
        }
        foreach (var field in Fields(update))
            sets.Add(new(field.Key, ToAttribute(JsonSerializer.SerializeToNode(field.Value, field.Value.GetType(), Options)!)));
        return sets;
    }

    /// <summary>
    /// The fields an update carries (not null), by attribute name, in declaration order: every settable property of
    /// <see cref="TriggerUpdate"/> is the <see cref="TriggerRecord"/> property of the same name and type, so a new
    /// update field is one property, picked up by both writers.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, object>> Fields(TriggerUpdate update)
    {
        if (update is null) throw new ArgumentNullException(nameof(update));
        foreach (var field in UpdateFields)
        {
            if (field.Update.GetValue(update) is { } value) yield return new(field.Attribute, value);
        }
    }

    /// <summary>
    /// Changes <paramref name="record"/> as a write of <paramref name="update"/> changes its item (see <see cref="Sets"/>):
    /// the status moves (and <see cref="TriggerRecord.StatusChangedAt"/> with it) when it differs from the record's,
    /// <see cref="TriggerRecord.UpdatedAt"/> and every carried field are set, the version is incremented. Returns the
    /// record. The caller checks <see cref="TriggerStatusOrder.CanApply"/> first.
    /// </summary>
    public static TriggerRecord Apply(TriggerRecord record, TriggerUpdate update, DateTimeOffset now)
    {
        if (record is null) throw new ArgumentNullException(nameof(record));
        if (record.Status != update.Status) record.StatusChangedAt = now;
        record.Status = update.Status;
        record.UpdatedAt = now;
        record.Version++;
        foreach (var field in UpdateFields)
        {
            if (field.Update.GetValue(update) is { } value) field.Record.SetValue(record, value);
        }
        return record;
    }

    /// <summary>A time as items store it: ISO 8601 UTC, <c>2026-11-24T07:12:47Z</c>, with the fraction of a second when there is one.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>A string attribute value.</summary>
    public static JsonObject StringValue(string value) => new() { ["S"] = value };

    /// <summary>A number attribute value.</summary>
    public static JsonObject Number(long value) => new() { ["N"] = value.ToString(CultureInfo.InvariantCulture) };

    private static JsonObject ToAttribute(JsonNode value) => value switch
    {
        JsonObject o => new JsonObject { ["M"] = new JsonObject(o.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, JsonNode?>(p.Key, ToAttribute(p.Value!)))) },
        JsonArray a => new JsonObject { ["L"] = new JsonArray(a.Select(e => (JsonNode?)(e is null ? new JsonObject { ["NULL"] = true } : ToAttribute(e))).ToArray()) },
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => StringValue(v.GetValue<string>()),
            JsonValueKind.Number => new JsonObject { ["N"] = v.ToJsonString() },
            JsonValueKind.True or JsonValueKind.False => new JsonObject { ["BOOL"] = v.GetValue<bool>() },
            _ => new JsonObject { ["NULL"] = true },
        },
        _ => throw new InvalidOperationException("Unexpected JSON node."),
    };

    private static JsonNode? FromAttribute(JsonNode? attribute, string name)
    {
        if (attribute is not JsonObject { Count: 1 } typed)
            throw new FormatException($"Attribute '{name}' is not an AttributeValue (an object with one type key such as S or N).");
        var pair = typed.First();
        var value = pair.Value;
        switch (pair.Key)
        {
            case "S" when value is JsonValue s && s.TryGetValue<string>(out var text):
                return JsonValue.Create(text);
            case "N" when value is JsonValue n && n.TryGetValue<string>(out var number):
                if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    throw new FormatException($"Attribute '{name}' is N '{number}', not a number.");
                return d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue ? JsonValue.Create((long)d) : JsonValue.Create(d);
            case "BOOL" when value is JsonValue b && b.TryGetValue<bool>(out var flag):
                return JsonValue.Create(flag);
            case "NULL":
                return null;
            case "M" when value is JsonObject map:
                return new JsonObject(map.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, FromAttribute(p.Value, name + "." + p.Key))));
            case "L" when value is JsonArray list:
                return new JsonArray(list.Select(e => FromAttribute(e, name)).ToArray());
            default:
                throw new FormatException($"Attribute '{name}' has type {pair.Key} with value {value?.ToJsonString() ?? "null"}, which a trigger record does not hold.");
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        // Read-only properties (TriggerRecord.IsFinal) are derived, not stored.
        var options = new JsonSerializerOptions(BatchPsJson.Lenient) { IgnoreReadOnlyProperties = true };
        options.Converters.Add(new ItemTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Times as <see cref="FormatTime"/> writes them; any ISO 8601 time reads (UTC when it has no offset).</summary>
    private sealed class ItemTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : throw new JsonException($"'{text}' is not an ISO 8601 time.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatTime(value));
    }
}
