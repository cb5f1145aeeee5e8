using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>How an execution ended.</summary>
public sealed class ExecutionResult
{
    /// <summary>The execution id (ARN form).</summary>
    public required string ExecutionId { get; init; }

    /// <summary>SUCCEEDED, FAILED or TIMED_OUT.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>The output, when it succeeded.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>The error name, when it failed or timed out.</summary>
    public string? Error { get; init; }

    /// <summary>The cause, when it failed or timed out.</summary>
    public string? Cause { get; init; }

    /// <summary>State transitions, counted as AWS bills them (see <see cref="StateMachineInterpreter"/>).</summary>
    public required int TransitionCount { get; init; }

    /// <summary>When the execution started.</summary>
    public required DateTimeOffset StartDate { get; init; }

    /// <summary>When it ended.</summary>
    public required DateTimeOffset StopDate { get; init; }

    /// <summary>The execution history.</summary>
    public required IReadOnlyList<HistoryEvent> History { get; init; }

    /// <summary>
    /// The summary the <c>execute</c> command prints: <c>{"status", "output"}</c> on success,
    /// <c>{"status", "error", "cause"}</c> otherwise, and <c>transitionCount</c>.
    /// </summary>
    public JsonObject ToSummary()
    {
        var summary = new JsonObject { ["status"] = Status.ToString() };
        if (Status == ExecutionStatus.SUCCEEDED)
        {
            summary["output"] = Output?.DeepClone();
        }
        else
        {
            summary["error"] = Error;
            summary["cause"] = Cause;
        }
        summary["transitionCount"] = TransitionCount;
        return summary;
    }

    /// <summary>Serializes the result (camelCase JSON, status as its name) for storage.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RuntimeJson.Options);

    /// <summary>Reads a result written by <see cref="ToJson"/>.</summary>
    public static ExecutionResult FromJson(string json) =>
        JsonSerializer.Deserialize<ExecutionResult>(json, RuntimeJson.Options) ?? throw new JsonException("The execution result is JSON null.");
}
