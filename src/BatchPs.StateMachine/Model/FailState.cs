using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>A Fail state: fails with Error and Cause (or their Path forms).</summary>
public sealed class FailState : State
{
    /// <inheritdoc />
    public override string Type => "Fail";

    /// <summary>The Error field.</summary>
    public string? Error { get; init; }

    /// <summary>The Cause field.</summary>
    public string? Cause { get; init; }

    internal DynamicValue? ErrorPath { get; init; }

    internal DynamicValue? CausePath { get; init; }
}
