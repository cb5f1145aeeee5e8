using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>One call of a Task state's resource.</summary>
public sealed class TaskInvocation
{
    /// <summary>The Resource ARN.</summary>
    public required string Resource { get; init; }

    /// <summary>The Task state's name.</summary>
    public required string StateName { get; init; }

    /// <summary>The effective input: the state input after InputPath and Parameters.</summary>
    public required JsonNode? Parameters { get; init; }

    /// <summary>The context object (<c>$$</c>) as the state sees it.</summary>
    public required JsonObject Context { get; init; }

    /// <summary>The execution id (ARN form).</summary>
    public required string ExecutionId { get; init; }

    /// <summary>0 for the first attempt, then 1, 2... for retries.</summary>
    public required int RetryCount { get; init; }

    /// <summary>
    /// A stable id of this attempt: the same when a resumed execution re-runs a top-level task that was started but
    /// not completed before a restart, so a resource can re-attach to the work it started instead of starting it twice.
    /// </summary>
    public required string InvocationId { get; init; }
}
