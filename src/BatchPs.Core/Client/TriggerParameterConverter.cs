using System.Collections;
using System.Globalization;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Client;

/// <summary>
/// Turns caller-supplied parameter values into the API's string values. Scalars convert explicitly and
/// culture-invariantly: strings as they are, numbers in invariant form, booleans as <c>true</c>/<c>false</c>,
/// dates as ISO 8601 round-trip text, GUIDs and enum names as text. Anything else (null, arrays,
/// hashtables, script blocks, arbitrary objects) is refused with an error that names the parameter,
/// because its string form would be a guess.
/// </summary>
public static class TriggerParameterConverter
{
    /// <summary>Converts a map of names to values; throws <see cref="ArgumentException"/> naming the first bad entry.</summary>
    /// <param name="parameters">The map; its keys must be strings.</param>
    /// <param name="unwrap">Turns a host wrapper (for example a PowerShell PSObject) into its base object.</param>
    public static Dictionary<string, string> Convert(IDictionary? parameters, Func<object?, object?> unwrap)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters is null) return result;
        foreach (DictionaryEntry entry in parameters)
        {
            if (unwrap(entry.Key) is not string name)
                throw new ArgumentException($"Parameter name '{entry.Key}' is a {entry.Key.GetType().Name}; parameter names must be strings, for example @{{ date = '2026-11-24' }}.");
            if (result.ContainsKey(name))
                throw new ArgumentException($"Parameter '{name}' is given twice (names are case-sensitive on the server); give each parameter once.");
            result.Add(name, ToValue(name, unwrap(entry.Value)));
        }
        return result;
    }

    /// <summary>
    /// Converts a map of override names (<c>timeoutSeconds</c>, <c>retryAttempts</c>, <c>arraySize</c>,
    /// <c>schedulingPriority</c>, <c>shareIdentifier</c>; any case) to overrides; throws
    /// <see cref="ArgumentException"/> naming the first unknown name or bad value. Null for an empty map.
    /// </summary>
    public static TriggerOverrides? ConvertOverrides(IDictionary? overrides, Func<object?, object?> unwrap)
    {
        if (overrides is null || overrides.Count == 0) return null;
        var result = new TriggerOverrides();
        foreach (DictionaryEntry entry in overrides)
        {
            var name = unwrap(entry.Key) as string;
            var value = unwrap(entry.Value);
            switch (name?.ToLowerInvariant())
            {
                case "schedulingpriority": result.SchedulingPriority = Whole(OverrideNames.SchedulingPriority, value); break;
                case "arraysize": result.ArraySize = Whole(OverrideNames.ArraySize, value); break;
                case "timeoutseconds": result.TimeoutSeconds = Whole(OverrideNames.TimeoutSeconds, value); break;
                case "retryattempts": result.RetryAttempts = Whole(OverrideNames.RetryAttempts, value); break;
                case "shareidentifier":
                    result.ShareIdentifier = value is string text && text.Length > 0
                        ? text
                        : throw new ArgumentException($"Override '{OverrideNames.ShareIdentifier}' must be a non-empty string.");
                    break;
                default:
                    throw new ArgumentException($"'{entry.Key}' is not an override. Overridable fields: {OverrideNames.SchedulingPriority}, {OverrideNames.ShareIdentifier}, {OverrideNames.ArraySize}, {OverrideNames.TimeoutSeconds}, {OverrideNames.RetryAttempts} (the catalog entry's allowOverrides says which this job takes).");
            }
        }
        return result;
    }

    private static int Whole(string name, object? value) => value switch
    {
        int i => i,
        byte or sbyte or short or ushort or uint or long or ulong when System.Convert.ToInt64(value, CultureInfo.InvariantCulture) is var n && n is >= int.MinValue and <= int.MaxValue => (int)n,
        string text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ArgumentException($"Override '{name}' must be a whole number, not {(value is null ? "null" : $"'{value}'")}."),
    };

    private static string ToValue(string name, object? value) => value switch
    {
        null => throw new ArgumentException($"Parameter '{name}' is null. Give it a string value, or leave it out to use the catalog's default."),
        string s => s,
        char c => c.ToString(),
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("o", CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        Enum e => e.ToString(),
        Uri u => u.OriginalString,
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException(
            $"Parameter '{name}' is a {value.GetType().FullName}; job parameters are strings. Pass a string (for example \"{name}\" = 'value'), a number, a boolean or a date; join a list yourself (for example ($list -join ','))."),
    };
}
