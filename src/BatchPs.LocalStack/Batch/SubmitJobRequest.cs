using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BatchPs.Core.Catalog;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// AWS Batch's SubmitJob request as the Step Functions integration passes it (PascalCase, the
/// <c>submitJob</c> object of the workflow input). Locally <see cref="JobDefinition"/> names a catalog entry.
/// </summary>
internal sealed class SubmitJobRequest
{
    private static readonly JsonSerializerOptions PascalCase = new()
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string JobName { get; set; } = "";
    public string JobQueue { get; set; } = "";
    public string JobDefinition { get; set; } = "";
    public Dictionary<string, string>? Parameters { get; set; }
    public JobTimeout? Timeout { get; set; }
    public RetryStrategy? RetryStrategy { get; set; }
    public string? ShareIdentifier { get; set; }
    public int? SchedulingPriorityOverride { get; set; }
    public ArrayPropertiesRequest? ArrayProperties { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public bool? PropagateTags { get; set; }

    /// <summary>Reads the PascalCase SubmitJob parameters.</summary>
    public static SubmitJobRequest FromJson(JsonNode node) =>
        node.Deserialize<SubmitJobRequest>(PascalCase) ?? throw new BatchClientException("The SubmitJob parameters are null.");
}
