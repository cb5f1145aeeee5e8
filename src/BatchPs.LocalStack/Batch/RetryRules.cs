using BatchPs.Core.Catalog;

namespace BatchPs.LocalStack.Batch;

/// <summary>AWS Batch's retry decision: attempts left, then the first matching <c>evaluateOnExit</c> rule; no match means retry.</summary>
internal static class RetryRules
{
    /// <summary>Whether a failed attempt is retried.</summary>
    public static bool ShouldRetry(RetryStrategy? strategy, int attemptsMade, int? exitCode, string? statusReason, string? reason)
    {
        var allowed = Math.Max(1, strategy?.Attempts ?? 1);
        if (attemptsMade >= allowed) return false;
        foreach (var rule in strategy?.EvaluateOnExit ?? new List<EvaluateOnExit>())
        {
            if (Matches(rule.OnExitCode, exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                && Matches(rule.OnStatusReason, statusReason)
                && Matches(rule.OnReason, reason))
                return string.Equals(rule.Action, "RETRY", StringComparison.OrdinalIgnoreCase);
        }
        return true;
    }

    /// <summary>A pattern matches when absent, equal, or (ending with <c>*</c>) a prefix of the value.</summary>
    internal static bool Matches(string? pattern, string? value)
    {
        if (pattern is null) return true;
        if (value is null) return false;
        return pattern.EndsWith('*')
            ? value.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, value, StringComparison.Ordinal);
    }
}
