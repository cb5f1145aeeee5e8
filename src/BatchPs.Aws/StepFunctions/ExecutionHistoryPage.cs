using System.Text.Json.Nodes;

namespace BatchPs.Aws.StepFunctions;

/// <summary>A page of <see cref="StepFunctionsClient.GetExecutionHistoryAsync"/>: the events as the API returns them, and the next page's token.</summary>
public sealed class ExecutionHistoryPage
{
    /// <summary>Creates the page.</summary>
    public ExecutionHistoryPage(IReadOnlyList<JsonObject> events, string? nextToken)
    {
        Events = events;
        NextToken = nextToken;
    }

    /// <summary>The events, oldest first, as the API returns them.</summary>
    public IReadOnlyList<JsonObject> Events { get; }
    /// <summary>The token of the next page; null after the last.</summary>
    public string? NextToken { get; }
}
