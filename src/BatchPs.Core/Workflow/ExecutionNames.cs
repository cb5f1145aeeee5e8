using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BatchPs.Core.Workflow;

/// <summary>Deterministic names: one trigger always maps to the same execution and Batch job name.</summary>
public static class ExecutionNames
{
    private static readonly Regex ValidExecutionName = new("^[0-9A-Za-z_-]{1,80}$", RegexOptions.CultureInvariant);
    private static readonly Regex NotBatchNameChar = new("[^0-9A-Za-z_-]", RegexOptions.CultureInvariant);

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
    /// The AWS Batch job name for a trigger of a catalog job: <c>{job}-{executionName}</c>, cut to
    /// Batch's 128 characters (letters, digits, '-' and '_', starting with a letter or digit).
    /// </summary>
    public static string BatchJobName(string catalogJobName, string triggerId)
    {
        var suffix = "-" + ForTrigger(triggerId);
        var prefix = NotBatchNameChar.Replace(catalogJobName, "_");
        if (prefix.Length + suffix.Length > 128) prefix = prefix.Substring(0, 128 - suffix.Length);
        return prefix + suffix;
    }
}
