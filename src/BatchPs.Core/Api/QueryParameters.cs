using System.Globalization;
using System.Text.RegularExpressions;

namespace BatchPs.Core.Api;

/// <summary>
/// A route's query string as name/value pairs, checked against the names the route knows: an unknown or repeated name
/// is a 400 that names it. The typed readers answer the 400 for a value of the wrong form.
/// </summary>
public sealed class QueryParameters
{
    private static readonly Regex IsoWithOffset = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);
    private readonly Dictionary<string, string> _values;

    private QueryParameters(Dictionary<string, string> values) => _values = values;

    /// <summary>The parameters of <paramref name="pairs"/>, or the 400 for an unknown or repeated name.</summary>
    public static (QueryParameters? Query, ApiError? Error) From(IEnumerable<KeyValuePair<string, string>> pairs, params string[] known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            if (!known.Contains(pair.Key, StringComparer.Ordinal))
                return (null, ApiError.Invalid(pair.Key, $"Unknown query parameter '{pair.Key}'. The parameters are: {string.Join(", ", known)} (names are case-sensitive)."));
            if (values.ContainsKey(pair.Key))
                return (null, ApiError.Invalid(pair.Key, $"Query parameter '{pair.Key}' is given twice; give it once (several statuses go comma-separated in one 'status')."));
            values[pair.Key] = pair.Value;
        }
        return (new QueryParameters(values), null);
    }

    /// <summary>The 400 for a route that takes no query parameters, naming the first one given; null when none is.</summary>
    public static ApiError? None(IEnumerable<KeyValuePair<string, string>> pairs, string route)
    {
        foreach (var pair in pairs)
            return ApiError.Invalid(pair.Key, $"Unknown query parameter '{pair.Key}'. {route} takes none.");
        return null;
    }

    /// <summary>The raw value, or null when absent (an empty value counts as absent).</summary>
    public string? Text(string name) => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>A whole number in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public int? WholeNumber(string name, int min, int max, int? fallback, out ApiError? error)
    {
        error = null;
        if (Text(name) is not { } text) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        error = ApiError.Invalid(name, $"'{name}' is '{Shorten(text)}'; it must be a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}.");
        return null;
    }

    /// <summary><c>true</c> or <c>false</c> (absent: false).</summary>
    public bool Flag(string name, out ApiError? error)
    {
        error = null;
        switch (Text(name))
        {
            case null: case "false": return false;
            case "true": return true;
            case var other:
                error = ApiError.Invalid(name, $"'{name}' is '{Shorten(other!)}'; it must be true or false.");
                return false;
        }
    }

    /// <summary>An ISO 8601 time with an offset (<c>2026-11-24T07:00:00Z</c>, <c>...+02:00</c>), or null when absent.</summary>
    public DateTimeOffset? Time(string name, out ApiError? error)
    {
        error = null;
        if (Text(name) is not { } text) return null;
        if (IsoWithOffset.IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        error = ApiError.Invalid(name, $"'{name}' is '{Shorten(text)}'; it must be an ISO 8601 time with an offset, such as 2026-11-24T07:00:00Z or 2026-11-24T09:00:00+02:00.");
        return null;
    }

    internal static string Shorten(string value) => value.Length <= 60 ? value : value.Substring(0, 60) + "...";
}
