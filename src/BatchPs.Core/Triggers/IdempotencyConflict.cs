namespace BatchPs.Core.Triggers;

/// <summary>
/// The rule for a repeated idempotency key: the same key with the same request (job, client, parameters and
/// overrides) is a replay of the stored trigger; with anything different it is a conflict, named field by field.
/// </summary>
public static class IdempotencyConflict
{
    /// <summary>Null when <paramref name="request"/> is the request <paramref name="stored"/> was made from; otherwise the message of a 409 naming what differs.</summary>
    public static string? Describe(TriggerRecord stored, TriggerRequest request)
    {
        var differences = new List<string>();
        if (!string.Equals(stored.JobName, request.JobName, StringComparison.Ordinal))
            differences.Add($"jobName is '{request.JobName}', the trigger's is '{stored.JobName}'");
        if (!string.Equals(Empty(stored.Client), Empty(request.Client), StringComparison.Ordinal))
            differences.Add($"client is {Quote(request.Client)}, the trigger's is {Quote(stored.Client)}");
        foreach (var name in stored.Parameters.Keys.Union(request.Parameters.Keys).OrderBy(n => n, StringComparer.Ordinal))
        {
            stored.Parameters.TryGetValue(name, out var was);
            request.Parameters.TryGetValue(name, out var now);
            if (!string.Equals(was, now, StringComparison.Ordinal))
                differences.Add($"parameters.{name} is {Quote(now)}, the trigger's is {Quote(was)}");
        }
        var storedOverrides = Fields(stored.Overrides);
        var requestOverrides = Fields(request.Overrides);
        foreach (var name in storedOverrides.Keys.Union(requestOverrides.Keys).OrderBy(n => n, StringComparer.Ordinal))
        {
            storedOverrides.TryGetValue(name, out var was);
            requestOverrides.TryGetValue(name, out var now);
            if (!string.Equals(was, now, StringComparison.Ordinal))
                differences.Add($"overrides.{name} is {Quote(now)}, the trigger's is {Quote(was)}");
        }
        if (differences.Count == 0) return null;
        return $"Idempotency key '{stored.IdempotencyKey}' belongs to trigger {stored.TriggerId}, made from a different request: {string.Join("; ", differences)}. "
            + "Send the same request again to get that trigger, or use a new idempotency key for a new trigger.";
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Quote(string? text) => string.IsNullOrEmpty(text) ? "absent" : $"'{text}'";

    private static Dictionary<string, string> Fields(TriggerOverrides? overrides)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (overrides is null) return fields;
        if (overrides.SchedulingPriority is { } priority) fields[OverrideNames.SchedulingPriority] = priority.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (overrides.ShareIdentifier is { } share) fields[OverrideNames.ShareIdentifier] = share;
        if (overrides.ArraySize is { } size) fields[OverrideNames.ArraySize] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (overrides.TimeoutSeconds is { } timeout) fields[OverrideNames.TimeoutSeconds] = timeout.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (overrides.RetryAttempts is { } attempts) fields[OverrideNames.RetryAttempts] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return fields;
    }
}
