using System.Text.RegularExpressions;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Catalog;

/// <summary>
/// The catalog's rules: whether an entry is well formed, and whether a trigger may start it with
/// the parameters and overrides it passed. Used by the local stack on POST, by the trigger handler
/// (local and Lambda), and by the admin cmdlets when an entry is registered.
/// </summary>
public static class JobCatalogRules
{
    /// <summary>A command's first element that the local stack replaces with the command that runs itself.</summary>
    public const string LocalStackProgram = "{localstack}";

    private static readonly Regex ShareIdentifierPattern = new("^[A-Za-z0-9_]{1,255}$", RegexOptions.CultureInvariant);

    /// <summary>The problems of an entry (empty when it is valid), each naming the field and the fix.</summary>
    public static IReadOnlyList<string> Validate(JobCatalogEntry entry, bool requireCommand, bool requireBatch)
    {
        var problems = new List<string>();
        if (!TriggerRequestParser.JobNamePattern.IsMatch(entry.Name ?? ""))
            problems.Add($"name '{entry.Name}' is not valid: use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit.");
        if (requireCommand && (entry.Command is null || entry.Command.Count == 0 || string.IsNullOrWhiteSpace(entry.Command[0])))
            problems.Add("command is missing: give the program and its arguments as an array, for example [\"dotnet\", \"--info\"].");
        if (ProgramReference(entry.Command) is { } place)
            problems.Add($"{place} is a parameter reference ('{entry.Command![place == "command[0]" ? 0 : 1]}'): a caller would choose the program that runs. " +
                "Name the program itself (for example \"pwsh\" or \"./export.sh\") and pass Ref:: references as its arguments.");
        if (requireBatch && string.IsNullOrWhiteSpace(entry.JobQueue))
            problems.Add("jobQueue is missing: name the AWS Batch job queue (name or ARN).");
        if (requireBatch && string.IsNullOrWhiteSpace(entry.JobDefinition))
            problems.Add("jobDefinition is missing: name the AWS Batch job definition (name, name:revision or ARN).");
        foreach (var name in entry.Parameters.Keys)
        {
            if (!TriggerRequestParser.ParameterNamePattern.IsMatch(name))
                problems.Add($"parameters: name '{name}' is not valid: use 1-128 letters, digits, '_', '.' or '-'.");
        }
        if (entry.TimeoutSeconds is < 1)
            problems.Add("timeoutSeconds must be at least 1.");
        if (requireBatch && entry.TimeoutSeconds is < 60)
            problems.Add("timeoutSeconds must be at least 60 for AWS Batch (its minimum attempt duration).");
        if (entry.RetryStrategy is { Attempts: < 1 or > 10 })
            problems.Add("retryStrategy.attempts must be from 1 to 10.");
        foreach (var rule in entry.RetryStrategy?.EvaluateOnExit ?? new List<EvaluateOnExit>())
        {
            if (rule.Action is not ("RETRY" or "EXIT" or "retry" or "exit"))
                problems.Add($"retryStrategy.evaluateOnExit: action '{rule.Action}' must be RETRY or EXIT.");
            if (rule.OnExitCode is { } code && !Regex.IsMatch(code, "^[0-9]*\\*?$"))
                problems.Add($"retryStrategy.evaluateOnExit: onExitCode '{code}' must be digits, optionally ending with '*'.");
        }
        if (entry.ShareIdentifier is { } share && !ShareIdentifierPattern.IsMatch(share))
            problems.Add("shareIdentifier must be 1-255 letters, digits or '_'.");
        if (entry.SchedulingPriority is < 0 or > 9999)
            problems.Add("schedulingPriority must be from 0 to 9999.");
        if (entry.ArraySize is < 2 or > 10000)
            problems.Add("arraySize must be from 2 to 10000 (leave it out for a single job).");
        foreach (var name in entry.AllowOverrides)
        {
            if (!OverrideNames.All.Contains(name))
                problems.Add($"allowOverrides: '{name}' is not overridable; choose from {string.Join(", ", OverrideNames.All)}.");
        }
        return problems;
    }

    /// <summary>
    /// Where a command lets the trigger's parameters choose the program: <c>command[0]</c> as <c>Ref::name</c>,
    /// or <c>command[1]</c> after the local stack's <c>{localstack}</c> (its verb); null when it does not.
    /// </summary>
    private static string? ProgramReference(IReadOnlyList<string>? command)
    {
        const string reference = "Ref::";
        if (command is null || command.Count == 0) return null;
        if (command[0]?.TrimStart().StartsWith(reference, StringComparison.Ordinal) == true) return "command[0]";
        if (command[0] == LocalStackProgram && command.Count > 1 && command[1]?.TrimStart().StartsWith(reference, StringComparison.Ordinal) == true) return "command[1]";
        return null;
    }

    /// <summary>
    /// Checks a trigger against its entry (null when the job is unknown) and returns the error to
    /// answer or to reject the trigger with; null when the trigger may run.
    /// </summary>
    public static ApiError? CheckTrigger(JobCatalogEntry? entry, string jobName, IReadOnlyDictionary<string, string> parameters, TriggerOverrides? overrides)
    {
        if (entry is null)
            return new ApiError(400, ErrorCodes.UnknownJob, $"Job '{jobName}' is not in the catalog. Ask an admin to register it, or check the name: GET /jobs on this endpoint lists the jobs it can start.", "jobName");
        foreach (var name in parameters.Keys)
        {
            if (!entry.Parameters.ContainsKey(name))
            {
                var declared = entry.Parameters.Count == 0 ? "it declares none" : "it declares: " + string.Join(", ", entry.Parameters.Keys.OrderBy(k => k, StringComparer.Ordinal));
                return new ApiError(400, ErrorCodes.InvalidParameter, $"Job '{entry.Name}' does not take parameter '{name}'; {declared}.", "parameters." + name);
            }
        }
        foreach (var declared in entry.Parameters)
        {
            if (declared.Value is null && !parameters.ContainsKey(declared.Key))
                return new ApiError(400, ErrorCodes.InvalidParameter, $"Job '{entry.Name}' requires parameter '{declared.Key}'; pass it, for example -Parameter @{{ {declared.Key} = '...' }}.", "parameters." + declared.Key);
        }
        if (overrides is not null)
        {
            foreach (var field in overrides.SetFields())
            {
                if (!entry.AllowOverrides.Contains(field))
                    return new ApiError(400, ErrorCodes.OverrideNotAllowed, $"Job '{entry.Name}' does not allow overriding '{field}'" + (entry.AllowOverrides.Count == 0 ? "." : $"; it allows: {string.Join(", ", entry.AllowOverrides)}."), "overrides." + field);
            }
        }
        return null;
    }

    /// <summary>The entry's defaults overlaid with the trigger's parameters.</summary>
    public static Dictionary<string, string> EffectiveParameters(JobCatalogEntry entry, IReadOnlyDictionary<string, string> parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var declared in entry.Parameters)
        {
            if (declared.Value is not null) result[declared.Key] = declared.Value;
        }
        foreach (var given in parameters) result[given.Key] = given.Value;
        return result;
    }
}
