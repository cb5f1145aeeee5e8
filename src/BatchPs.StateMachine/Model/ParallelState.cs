namespace BatchPs.StateMachine.Model;

/// <summary>A Parallel state: runs every branch on the same input; the output is the array of branch outputs.</summary>
public sealed class ParallelState : State
{
    /// <inheritdoc />
    public override string Type => "Parallel";

    /// <summary>The branches.</summary>
    public required IReadOnlyList<StateSet> Branches { get; init; }
}
