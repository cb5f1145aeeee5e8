using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchPs.StateMachine.Runtime;

/// <summary>The JSON form of checkpoints, results and history events: camelCase, nulls omitted, statuses as names.</summary>
internal static class RuntimeJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
