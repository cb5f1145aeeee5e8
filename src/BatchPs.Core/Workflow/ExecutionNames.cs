using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BatchPs.Core.Workflow;

/// <summary>Deterministic names: one trigger always maps to the same execution and Batch job name.</summary>
public static class ExecutionNames
{
    private static readonly Regex ValidExecutionName = new("^[0-9A-Za-z_-]{1,80}$", RegexOptions.CultureInvariant);
    private static readonly Regex NotBatchNameChar = new("[^0-9A-Za-z_-]", RegexOptions.CultureInvariant);
    private static readonly Regex HashedName = new("^t-[0-9a-f]{64}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The Step Functions execution name of a trigger: the trigger id when it is 1-80 characters of
    /// <c>0-9A-Za-z-_</c>, else a stable SHA-256-based name of the same alphabet.
    /// </summary>
    public static string ForTrigger(string triggerId)
    {
        if (ValidExecutionName.IsMatch(triggerId)) return triggerId;
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(triggerId));
        return "t-" + BitConverter.ToString(hash).Replace("-", "").ToLowerInvariant();
    }

    /// <summary>
    /// The AWS Batch job name for a trigger of a catalog job: <c>{job}-{executionName}-{NN}</c>, where <c>NN</c> is the
    /// execution name's length in two digits, so the name can be read back (<see cref="ExecutionNameOfBatchJob"/>)
    /// although both parts may hold '-'. The job part is cut so the whole fits Batch's 128 characters (letters,
    /// digits, '-' and '_', starting with a letter or digit). Batch's "Batch Job State Change" events carry the job
    /// name, not (as documented) its tags: the name is how an event finds its trigger.
    /// </summary>
    public static string BatchJobName(string catalogJobName, string triggerId)
    {
        var execution = ForTrigger(triggerId);
        var suffix = "-" + execution + "-" + execution.Length.ToString("D2", CultureInfo.InvariantCulture);
        var prefix = NotBatchNameChar.Replace(catalogJobName, "_");
        if (prefix.Length + suffix.Length > 128) prefix = prefix.Substring(0, 128 - suffix.Length);
        return prefix + suffix;
    }

    /// <summary>
    /// The execution name a <see cref="BatchJobName"/> carries; null for a name of another form (a job BatchPs did not
    /// name).
    /// </summary>
    public static string? ExecutionNameOfBatchJob(string? batchJobName)
    {
        if (batchJobName is null) return null;
        var dash = batchJobName.LastIndexOf('-');
        if (dash < 0 || batchJobName.Length - dash != 3
            || !int.TryParse(batchJobName.Substring(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length < 1 || length > 80 || dash - length < 2 || batchJobName[dash - length - 1] != '-')
            return null;
        var execution = batchJobName.Substring(dash - length, length);
        return ValidExecutionName.IsMatch(execution) ? execution : null;
    }

    /// <summary>
    /// The trigger id an execution name stands for: itself, unless it is the hashed form <see cref="ForTrigger"/> gives a
    /// trigger id that cannot be an execution name (then null: the id is not in the name).
    /// </summary>
    public static string? TriggerIdOfExecution(string executionName) =>
        HashedName.IsMatch(executionName) ? null : executionName;
}
