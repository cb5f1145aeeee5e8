using System.Text.RegularExpressions;

namespace BatchPs.Core.Batch;

/// <summary>
/// The one state machine definition both stacks run: the CloudFormation template deploys it
/// (<c>DefinitionS3Location</c> + <c>DefinitionSubstitutions</c>) and the local stack executes it.
/// Stack-specific names are written <c>${Name}</c> in the file and substituted before use.
/// </summary>
public static class TriggerWorkflowDefinition
{
    /// <summary>The file's path from the repository root.</summary>
    public const string RepositoryPath = "cloudformation/statemachine/trigger.asl.json";

    /// <summary>The file name (as shipped next to a program that loads it).</summary>
    public const string FileName = "trigger.asl.json";

    /// <summary>The substitution naming the trigger table (DynamoDB table name; locally any name the local store accepts).</summary>
    public const string TriggerTableName = "TriggerTableName";

    /// <summary>Every substitution the definition uses.</summary>
    public static IReadOnlyList<string> Substitutions { get; } = new[] { TriggerTableName };

    private static readonly Regex Placeholder = new("\\$\\{([A-Za-z0-9_]+)\\}", RegexOptions.CultureInvariant);

    /// <summary>
    /// Replaces each <c>${Name}</c> with its value, as CloudFormation's DefinitionSubstitutions does;
    /// throws <see cref="ArgumentException"/> naming a placeholder that has no value.
    /// </summary>
    public static string Substitute(string definition, IReadOnlyDictionary<string, string> values) =>
        Placeholder.Replace(definition, match => values.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : throw new ArgumentException($"The state machine definition uses ${{{match.Groups[1].Value}}}, which has no value. Give one of: {string.Join(", ", Substitutions)}.", nameof(values)));

    /// <summary>The placeholder names a definition uses.</summary>
    public static IReadOnlyCollection<string> PlaceholdersIn(string definition) =>
        Placeholder.Matches(definition).Cast<Match>().Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
}
