using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// Where a running execution stands at its start or after a completed top-level state: the next state and its input, the
/// transitions billed so far and the history. Saving it and passing it to
/// <see cref="StateMachineInterpreter.ResumeAsync"/> continues the execution without re-running completed states.
/// </summary>
public sealed class ExecutionCheckpoint
{
    /// <summary>The execution id (ARN form).</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The execution name.</summary>
    public required string ExecutionName { get; init; }

    /// <summary>When the execution started.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>The execution's input (<c>$$.Execution.Input</c>).</summary>
    public JsonNode? ExecutionInput { get; init; }

    /// <summary>The top-level state to run next.</summary>
    public required string NextState { get; init; }

    /// <summary>The input of <see cref="NextState"/>.</summary>
    public JsonNode? StateInput { get; init; }

    /// <summary>State transitions billed so far.</summary>
    public required int TransitionCount { get; init; }

    /// <summary>The history so far.</summary>
    public required IReadOnlyList<HistoryEvent> History { get; init; }

    /// <summary>Serializes the checkpoint (camelCase JSON) for storage.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RuntimeJson.Options);

    /// <summary>Reads a checkpoint written by <see cref="ToJson"/>.</summary>
    public static ExecutionCheckpoint FromJson(string json) =>
        JsonSerializer.Deserialize<ExecutionCheckpoint>(json, RuntimeJson.Options) ?? throw new JsonException("The checkpoint is JSON null.");
}
