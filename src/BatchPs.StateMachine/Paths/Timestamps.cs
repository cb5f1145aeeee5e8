using System.Globalization;
using System.Text.RegularExpressions;

namespace BatchPs.StateMachine.Paths;

/// <summary>
/// Timestamps as the specification takes them: "strings which conform to the RFC3339 profile of ISO 8601, with the
/// further restrictions that an uppercase T must separate the date and time portions, and an uppercase Z must denote
/// that a numeric time zone offset is not present" (states-language.net, "Timestamps").
/// </summary>
internal static partial class Timestamps
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>The form Step Functions writes timestamps in (context object, history): UTC, milliseconds, Z.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
