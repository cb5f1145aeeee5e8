namespace BatchPs.Core.Triggers;

/// <summary>SubmitJob fields a trigger may override when its catalog entry lists them in <c>allowOverrides</c>.</summary>
public sealed class TriggerOverrides
{
    /// <summary>Overrides the entry's scheduling priority (fair-share queues).</summary>
    public int? SchedulingPriority { get; set; }
    /// <summary>Overrides the entry's share identifier (fair-share queues).</summary>
    public string? ShareIdentifier { get; set; }
    /// <summary>Overrides the entry's array size (2-10,000).</summary>
    public int? ArraySize { get; set; }
    /// <summary>Overrides the entry's attempt timeout in seconds.</summary>
    public int? TimeoutSeconds { get; set; }
    /// <summary>Overrides the entry's retry attempts (1-10).</summary>
    public int? RetryAttempts { get; set; }

    /// <summary>True when no field is set. Not part of the JSON (a request carrying it would be refused).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => SchedulingPriority is null && ShareIdentifier is null && ArraySize is null && TimeoutSeconds is null && RetryAttempts is null;

    /// <summary>The names (as in the request body and in <c>allowOverrides</c>) of the fields that are set.</summary>
    public IEnumerable<string> SetFields()
    {
        if (SchedulingPriority is not null) yield return OverrideNames.SchedulingPriority;
        if (ShareIdentifier is not null) yield return OverrideNames.ShareIdentifier;
        if (ArraySize is not null) yield return OverrideNames.ArraySize;
        if (TimeoutSeconds is not null) yield return OverrideNames.TimeoutSeconds;
        if (RetryAttempts is not null) yield return OverrideNames.RetryAttempts;
    }
}

/// <summary>The names of the overridable fields.</summary>
public static class OverrideNames
{
    /// <summary><c>schedulingPriority</c></summary>
    public const string SchedulingPriority = "schedulingPriority";
    /// <summary><c>shareIdentifier</c></summary>
    public const string ShareIdentifier = "shareIdentifier";
    /// <summary><c>arraySize</c></summary>
    public const string ArraySize = "arraySize";
    /// <summary><c>timeoutSeconds</c></summary>
    public const string TimeoutSeconds = "timeoutSeconds";
    /// <summary><c>retryAttempts</c></summary>
    public const string RetryAttempts = "retryAttempts";

    /// <summary>All of them.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { SchedulingPriority, ShareIdentifier, ArraySize, TimeoutSeconds, RetryAttempts };
}
