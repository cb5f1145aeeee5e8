using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchPs.Core.Json;

/// <summary>The JSON settings of every BatchPs wire format: camelCase, statuses as names, no nulls written.</summary>
public static class BatchPsJson
{
    /// <summary>Options for records, requests and the catalog. Unknown members are errors, so a typo in a config file is reported, not ignored.</summary>
    public static JsonSerializerOptions Options { get; } = Create(strict: true);

    /// <summary>Options that ignore unknown members: for reading records written by a newer server.</summary>
    public static JsonSerializerOptions Lenient { get; } = Create(strict: false);

    private static JsonSerializerOptions Create(bool strict)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
