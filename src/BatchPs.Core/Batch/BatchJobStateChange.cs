using System.Text.Json;

namespace BatchPs.Core.Batch;

/// <summary>
/// An EventBridge "Batch Job State Change" event (<c>source</c> <c>aws.batch</c>): the event envelope
/// with the job description in <c>detail</c>.
/// </summary>
public static class BatchJobStateChange
{
    /// <summary>The <c>detail-type</c> of the events.</summary>
    public const string DetailType = "Batch Job State Change";

    /// <summary>True when <paramref name="root"/> is such an event.</summary>
    public static bool Is(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String && source.GetString() == "aws.batch"
        && root.TryGetProperty("detail-type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == DetailType;

    /// <summary>The job description of the event; throws <see cref="FormatException"/> when it has none.</summary>
    public static BatchJobSummary Parse(JsonElement root)
    {
        if (!Is(root)) throw new FormatException($"Not a \"{DetailType}\" event from aws.batch.");
        if (!root.TryGetProperty("detail", out var detail))
            throw new FormatException($"The \"{DetailType}\" event has no detail.");
        return BatchJobSummary.Parse(detail);
    }
}
