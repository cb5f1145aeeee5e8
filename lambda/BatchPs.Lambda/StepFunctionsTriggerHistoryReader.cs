using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Aws;
using BatchPs.Aws.StepFunctions;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// <c>GET /triggers/{id}/history</c> in the cloud: Step Functions GetExecutionHistory of the record's execution (every
/// page), in the local stack's shape: <c>{"triggerId", "executionId", "status", "transitionCount", "events": [{"id",
/// "timestamp", "type", "stateName", "input", "output", "error", "cause", "resource", "index"}]}</c> (absent members
/// left out). Step Functions puts a state's name only on its Entered/Exited events; the events between them (Task*,
/// MapIteration*...) get the name of the state their <c>previousEventId</c> chain started in, as the local history has it.
/// Inputs and outputs are JSON text in the API; they are answered as JSON values. The status is the ending event's
/// (RUNNING until there is one); the transitions are the states entered plus task retries.
/// A trigger with no execution yet (RECEIVED, REJECTED) has an empty history.
/// </summary>
public sealed class StepFunctionsTriggerHistoryReader
{
    /// <summary>The most GetExecutionHistory pages read (25,000 events: Step Functions' history limit).</summary>
    public const int MaxPages = 25;

    private readonly StepFunctionsClient _states;
    private readonly string _stateMachineArn;

    /// <summary>Creates the reader for the trigger state machine.</summary>
    public StepFunctionsTriggerHistoryReader(StepFunctionsClient states, string stateMachineArn)
    {
        _states = states;
        _stateMachineArn = stateMachineArn;
    }

    /// <summary>The trigger's history.</summary>
    public async Task<JsonObject> ReadAsync(TriggerRecord record, CancellationToken cancellationToken)
    {
        var execution = TriggerExecutions.ArnOf(record, _stateMachineArn);
        var raw = new List<JsonObject>();
        string? token = null;
        try
        {
            for (var page = 0; page < MaxPages; page++)
            {
                var answer = await _states.GetExecutionHistoryAsync(execution, StepFunctionsClient.MaxHistoryPage, token, cancellationToken).ConfigureAwait(false);
                raw.AddRange(answer.Events);
                token = answer.NextToken;
                if (token is null) break;
            }
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == StepFunctionsClient.ExecutionDoesNotExist)
        {
            return Body(record.TriggerId, null, null, 0, new JsonArray());
        }
        var events = Map(raw);
        var status = raw.Count == 0 ? "RUNNING" : (string?)raw[^1]["type"] switch
        {
            "ExecutionSucceeded" => "SUCCEEDED",
            "ExecutionFailed" => "FAILED",
            "ExecutionTimedOut" => "TIMED_OUT",
            "ExecutionAborted" => "ABORTED",
            _ => "RUNNING",
        };
        var types = raw.Select(e => (string?)e["type"] ?? "").ToList();
        var transitions = types.Count(t => t.EndsWith("StateEntered", StringComparison.Ordinal))
            + Math.Max(0, types.Count(t => t == "TaskScheduled") - types.Count(t => t == "TaskStateEntered"));
        return Body(record.TriggerId, execution, status, transitions, events);
    }

    private static JsonObject Body(string triggerId, string? execution, string? status, int transitions, JsonArray events) => new()
    {
        ["triggerId"] = triggerId,
        ["executionId"] = execution,
        ["status"] = status,
        ["transitionCount"] = transitions,
        ["events"] = events,
    };

    /// <summary>The API's events in the local history's shape.</summary>
    internal static JsonArray Map(IReadOnlyList<JsonObject> raw)
    {
        var stateOf = new Dictionary<long, string?>();
        var events = new JsonArray();
        foreach (var e in raw)
        {
            var id = e["id"]?.GetValue<long>() ?? 0;
            var type = (string?)e["type"] ?? "";
            var details = e.FirstOrDefault(p => p.Key.EndsWith("EventDetails", StringComparison.Ordinal)).Value as JsonObject;
            string? state = (string?)details?["name"];
            if (state is null && !type.StartsWith("Execution", StringComparison.Ordinal) && e["previousEventId"]?.GetValue<long>() is long previous)
                stateOf.TryGetValue(previous, out state);
            stateOf[id] = state;

            var mapped = new JsonObject
            {
                ["id"] = id,
                ["timestamp"] = StepFunctionsClient.ReadTimestamp(e["timestamp"]).ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
                ["type"] = type,
            };
            if (state is not null) mapped["stateName"] = state;
            if (JsonText(details?["input"]) is { } input) mapped["input"] = input;
            if (JsonText(details?["output"]) is { } output) mapped["output"] = output;
            if ((string?)details?["error"] is { } error) mapped["error"] = error;
            if ((string?)details?["cause"] is { } cause) mapped["cause"] = cause;
            if ((string?)details?["resourceType"] is { } resourceType && (string?)details?["resource"] is { } resource)
                mapped["resource"] = $"arn:aws:states:::{resourceType}:{resource}";
            if (details?["index"] is JsonValue index) mapped["index"] = index.DeepClone();
            events.Add(mapped);
        }
        return events;
    }

    /// <summary>JSON text as a JSON value; text that is not JSON stays a string.</summary>
    private static JsonNode? JsonText(JsonNode? text)
    {
        if (text is not JsonValue value || !value.TryGetValue<string>(out var s)) return null;
        try
        {
            return JsonNode.Parse(s) ?? JsonValue.Create((string?)null);
        }
        catch (JsonException)
        {
            return JsonValue.Create(s);
        }
    }
}
