using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// One execution history event, named as Step Functions names them (ExecutionStarted, TaskStateEntered,
/// TaskScheduled, TaskStarted, TaskSucceeded, TaskFailed, TaskTimedOut, TaskStateExited, MapIterationStarted, ExecutionSucceeded...).
/// </summary>
public sealed class HistoryEvent
{
    /// <summary>1-based sequence number within the execution.</summary>
    public long Id { get; init; }

    /// <summary>When it happened (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The event type.</summary>
    public required string Type { get; init; }

    /// <summary>The state it concerns, if any.</summary>
    public string? StateName { get; init; }

    /// <summary>The state or execution input (for *Entered and ExecutionStarted).</summary>
    public JsonNode? Input { get; init; }

    /// <summary>The state or execution output (for *Exited, TaskSucceeded and ExecutionSucceeded).</summary>
    public JsonNode? Output { get; init; }

    /// <summary>The error name of a failure event.</summary>
    public string? Error { get; init; }

    /// <summary>The cause of a failure event.</summary>
    public string? Cause { get; init; }

    /// <summary>The Resource of a Task event.</summary>
    public string? Resource { get; init; }

    /// <summary>The Map iteration index, for Map iteration events.</summary>
    public int? Index { get; init; }
}
