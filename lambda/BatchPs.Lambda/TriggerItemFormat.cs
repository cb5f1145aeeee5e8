using System.Globalization;
using System.Text.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.Lambda;

/// <summary>
/// The DynamoDB item of a trigger: one attribute per <see cref="TriggerRecord"/> field, named as in
/// the record's JSON (camelCase), plus <c>statusRank</c> (<see cref="TriggerStatusOrder.Rank"/>, for the
/// forward-only conditions) and <c>expiresAt</c> (the TTL, epoch seconds). Times are ISO 8601 UTC
/// strings. This reads an item from a DynamoDB stream image (DynamoDB JSON).
/// </summary>
public static class TriggerItemFormat
{
    /// <summary>Attribute holding the status rank.</summary>
    public const string StatusRank = "statusRank";
    /// <summary>The TTL attribute (epoch seconds).</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>
    /// Reads a stream image (<c>{"triggerId":{"S":"..."}, ...}</c>) into a record; throws
    /// <see cref="FormatException"/> naming the attribute when the item is not a trigger.
    /// </summary>
    public static TriggerRecord FromImage(JsonElement image)
    {
        if (image.ValueKind != JsonValueKind.Object) throw new FormatException("The stream record has no NewImage object.");
        var record = new TriggerRecord
        {
            TriggerId = RequiredString(image, "triggerId"),
            JobName = RequiredString(image, "jobName"),
            Client = String(image, "client"),
            IdempotencyKey = String(image, "idempotencyKey") ?? "",
            StatusReason = String(image, "statusReason"),
            ExecutionId = String(image, "executionId"),
            BatchJobId = String(image, "batchJobId"),
            LogLocation = String(image, "logLocation"),
            ExitCode = (int?)Number(image, "exitCode"),
            Attempts = (int?)Number(image, "attempts"),
            Version = Number(image, "version") ?? 0,
            CreatedAt = Time(image, "createdAt") ?? throw new FormatException("Attribute 'createdAt' is missing."),
            UpdatedAt = Time(image, "updatedAt") ?? default,
            StatusChangedAt = Time(image, "statusChangedAt") ?? default,
            StartedAt = Time(image, "startedAt"),
            StoppedAt = Time(image, "stoppedAt"),
        };
        var status = RequiredString(image, "status");
        record.Status = TriggerStatusOrder.Parse(status) ?? throw new FormatException($"Attribute 'status' is '{status}', not a trigger status.");

        if (Attribute(image, "parameters", "M") is { } parameters)
        {
            foreach (var p in parameters.EnumerateObject())
                record.Parameters[p.Name] = Attribute(p.Value, "S") is { ValueKind: JsonValueKind.String } s ? s.GetString()! : throw new FormatException($"parameters.{p.Name} must be a string (S).");
        }
        if (Attribute(image, "overrides", "M") is { } overrides)
        {
            record.Overrides = new TriggerOverrides
            {
                SchedulingPriority = (int?)Number(overrides, OverrideNames.SchedulingPriority),
                ShareIdentifier = String(overrides, OverrideNames.ShareIdentifier),
                ArraySize = (int?)Number(overrides, OverrideNames.ArraySize),
                TimeoutSeconds = (int?)Number(overrides, OverrideNames.TimeoutSeconds),
                RetryAttempts = (int?)Number(overrides, OverrideNames.RetryAttempts),
            };
        }
        if (Attribute(image, "arrayStatusSummary", "M") is { } summary)
        {
            record.ArrayStatusSummary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in summary.EnumerateObject())
                record.ArrayStatusSummary[p.Name] = (int)(Number(summary, p.Name) ?? 0);
        }
        return record;
    }

    /// <summary>An ISO 8601 UTC time as the items store it (<c>2026-11-24T07:12:47Z</c>, milliseconds when present).</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.Millisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    private static JsonElement? Attribute(JsonElement item, string name, string type) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object && value.TryGetProperty(type, out var typed) ? typed : null;

    private static JsonElement? Attribute(JsonElement value, string type) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(type, out var typed) ? typed : null;

    private static string RequiredString(JsonElement item, string name) =>
        String(item, name) ?? throw new FormatException($"Attribute '{name}' is missing or not a string (S).");

    private static string? String(JsonElement item, string name) =>
        Attribute(item, name, "S") is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static long? Number(JsonElement item, string name)
    {
        if (Attribute(item, name, "N") is not { ValueKind: JsonValueKind.String } n) return null;
        return long.TryParse(n.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Attribute '{name}' is '{n.GetString()}', not a whole number.");
    }

    private static DateTimeOffset? Time(JsonElement item, string name)
    {
        if (String(item, name) is not { } text) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new FormatException($"Attribute '{name}' is '{text}', not an ISO 8601 time.");
    }
}
