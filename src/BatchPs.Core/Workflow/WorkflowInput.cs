using System.Text.Json.Nodes;
using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Workflow;

/// <summary>
/// The input of the state machine for one trigger:
/// <code>{"triggerId": "...", "jobName": "catalog name", "submitJob": { SubmitJob request } }</code>
/// <c>submitJob</c> is shaped as the Step Functions Batch integration's parameters (PascalCase), so the
/// state machine passes it straight to <c>batch:submitJob.sync</c>. Locally the job definition is the
/// catalog entry's <c>jobDefinition</c>, or its name when it has none.
/// </summary>
public static class WorkflowInput
{
    /// <summary>Name of the tag that carries the trigger id on the Batch job.</summary>
    public const string TriggerIdTag = "BatchPsTriggerId";

    /// <summary>Name of the input's field that holds the trigger id.</summary>
    public const string TriggerIdField = "triggerId";

    /// <summary>Builds the input from a trigger and its (already checked) catalog entry.</summary>
    public static JsonObject Build(TriggerRecord trigger, JobCatalogEntry entry)
    {
        var overrides = trigger.Overrides ?? new TriggerOverrides();
        var submit = new JsonObject
        {
            ["JobName"] = ExecutionNames.BatchJobName(entry.Name, trigger.TriggerId),
            ["JobQueue"] = entry.JobQueue ?? "local",
            ["JobDefinition"] = entry.JobDefinition ?? entry.Name,
        };

        var parameters = new JsonObject();
        foreach (var p in JobCatalogRules.EffectiveParameters(entry, trigger.Parameters).OrderBy(p => p.Key, StringComparer.Ordinal))
            parameters[p.Key] = p.Value;
        submit["Parameters"] = parameters;

        var timeout = overrides.TimeoutSeconds ?? entry.TimeoutSeconds;
        if (timeout is not null) submit["Timeout"] = new JsonObject { ["AttemptDurationSeconds"] = timeout.Value };

        var retry = BuildRetryStrategy(entry.RetryStrategy, overrides.RetryAttempts);
        if (retry is not null) submit["RetryStrategy"] = retry;

        var share = overrides.ShareIdentifier ?? entry.ShareIdentifier;
        if (share is not null) submit["ShareIdentifier"] = share;
        var priority = overrides.SchedulingPriority ?? entry.SchedulingPriority;
        if (priority is not null) submit["SchedulingPriorityOverride"] = priority.Value;
        var size = overrides.ArraySize ?? entry.ArraySize;
        if (size is not null) submit["ArrayProperties"] = new JsonObject { ["Size"] = size.Value };

        var tags = new JsonObject();
        foreach (var tag in (entry.Tags ?? new Dictionary<string, string>()).OrderBy(t => t.Key, StringComparer.Ordinal))
            tags[tag.Key] = tag.Value;
        tags[TriggerIdTag] = trigger.TriggerId;
        submit["Tags"] = tags;
        submit["PropagateTags"] = true;

        return new JsonObject
        {
            [TriggerIdField] = trigger.TriggerId,
            ["jobName"] = entry.Name,
            ["submitJob"] = submit,
        };
    }

    private static JsonObject? BuildRetryStrategy(RetryStrategy? strategy, int? attemptsOverride)
    {
        if (strategy is null && attemptsOverride is null) return null;
        var result = new JsonObject { ["Attempts"] = attemptsOverride ?? strategy!.Attempts };
        if (strategy?.EvaluateOnExit is { Count: > 0 } rules)
        {
            var array = new JsonArray();
            foreach (var rule in rules)
            {
                var o = new JsonObject();
                if (rule.OnExitCode is not null) o["OnExitCode"] = rule.OnExitCode;
                if (rule.OnStatusReason is not null) o["OnStatusReason"] = rule.OnStatusReason;
                if (rule.OnReason is not null) o["OnReason"] = rule.OnReason;
                o["Action"] = rule.Action.ToUpperInvariant();
                array.Add(o);
            }
            result["EvaluateOnExit"] = array;
        }
        return result;
    }
}
