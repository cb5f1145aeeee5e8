namespace BatchPs.StateMachine.Model;

/// <summary>A Pass state: passes its input, or its Result or Parameters, to its output.</summary>
public sealed class PassState : State
{
    /// <inheritdoc />
    public override string Type => "Pass";

    /// <summary>True when the state has a Result field.</summary>
    public bool HasResult { get; init; }
}
