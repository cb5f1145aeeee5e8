using System.Text.RegularExpressions;

namespace BatchPs.StateMachine.Loading;

/// <summary>
/// Applies CloudFormation's DefinitionSubstitutions (AWS::StepFunctions::StateMachine): each <c>${Name}</c> in the
/// definition text is replaced by the value given for Name, before the JSON is parsed. A placeholder without a value
/// is refused, so a missing substitution is found at load time rather than as a strange ARN at run time.
/// </summary>
public static partial class DefinitionSubstitutions
{
    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>Returns <paramref name="definition"/> with every placeholder replaced.</summary>
    public static string Apply(string definition, IReadOnlyDictionary<string, string>? substitutions)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var result = Placeholder().Replace(definition, m =>
        {
            if (substitutions is not null && substitutions.TryGetValue(m.Groups[1].Value, out var value))
            {
                return value;
            }
            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        if (missing.Count > 0)
        {
            throw new DefinitionException(
                $"the definition uses {string.Join(", ", missing.Select(n => "${" + n + "}"))} but no DefinitionSubstitutions value was given for "
                + (missing.Count == 1 ? "it" : "them") + "; pass a value for each placeholder or remove it.");
        }
        return result;
    }
}
