using System.Text;
using System.Text.Json.Nodes;

namespace BatchPs.Lambda.Tests;

/// <summary>The recorded events in Events/, and batches built from them.</summary>
internal static class RecordedEvents
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", name));

    public static JsonObject Mixed() => JsonNode.Parse(Read("stream-mixed.json"))!.AsObject();

    /// <summary>The recorded INSERT of the mixed batch, for a given trigger id and sequence number.</summary>
    public static JsonObject Insert(string triggerId, string sequenceNumber, string jobName = "nightly-export")
    {
        var record = Mixed()["Records"]![0]!.DeepClone().AsObject();
        var dynamodb = record["dynamodb"]!.AsObject();
        dynamodb["Keys"]!["triggerId"]!["S"] = triggerId;
        dynamodb["NewImage"]!["triggerId"]!["S"] = triggerId;
        dynamodb["NewImage"]!["idempotencyKey"]!["S"] = triggerId;
        dynamodb["NewImage"]!["jobName"]!["S"] = jobName;
        dynamodb["SequenceNumber"] = sequenceNumber;
        return record;
    }

    public static Stream Batch(params JsonNode[] records)
    {
        var array = new JsonArray();
        foreach (var r in records) array.Add(r.DeepClone());
        return new MemoryStream(Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = array }.ToJsonString()));
    }

    public static Stream AsStream(JsonNode node) => new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()));
}
