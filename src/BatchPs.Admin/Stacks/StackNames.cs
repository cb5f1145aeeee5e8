using System.Text.RegularExpressions;

namespace BatchPs.Admin.Stacks;

/// <summary>Stack name rules and the default name.</summary>
public static class StackNames
{
    /// <summary>The stack name the cmdlets use when none is given.</summary>
    public const string Default = "BatchPs";

    private static readonly Regex Valid = new("^[A-Za-z][-A-Za-z0-9]{0,127}$", RegexOptions.CultureInvariant);

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="stackName"/> breaks CloudFormation's rules.</summary>
    public static void Validate(string stackName)
    {
        if (!Valid.IsMatch(stackName ?? ""))
            throw new ArgumentException($"Stack name '{stackName}' is not valid: it must start with a letter and hold only letters, digits and hyphens (at most 128 characters).", nameof(stackName));
    }
}
