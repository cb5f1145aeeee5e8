using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>A Task state: calls a registered resource.</summary>
public sealed class TaskState : State
{
    /// <inheritdoc />
    public override string Type => "Task";

    /// <summary>The Resource ARN (after DefinitionSubstitutions).</summary>
    public required string Resource { get; init; }

    /// <summary>TimeoutSeconds, or null for none.</summary>
    public int? TimeoutSeconds { get; init; }

    internal PathReference? TimeoutSecondsPath { get; init; }
}
