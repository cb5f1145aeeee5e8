using System.Management.Automation;

namespace BatchPs.PowerShell.Completion;

/// <summary>Matching what was typed and writing the completion as PowerShell reads it back.</summary>
internal static class CompletionText
{
    /// <summary>A pattern for what was typed so far: a prefix, wildcards allowed, quotes stripped.</summary>
    public static WildcardPattern PatternFor(string? wordToComplete)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        return new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
    }

    /// <summary>A parameter value completion, quoted when the value needs quotes on a command line.</summary>
    public static CompletionResult Value(string value, string listItem, string toolTip)
    {
        var text = value.Any(c => char.IsWhiteSpace(c) || "'\"`$;,(){}@#&|<>".IndexOf(c) >= 0)
            ? "'" + value.Replace("'", "''") + "'"
            : value;
        return new CompletionResult(text, listItem, CompletionResultType.ParameterValue, string.IsNullOrEmpty(toolTip) ? value : toolTip);
    }
}
