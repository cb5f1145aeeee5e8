namespace BatchPs.StateMachine.Model;

/// <summary>A Succeed state: ends its set successfully.</summary>
public sealed class SucceedState : State
{
    /// <inheritdoc />
    public override string Type => "Succeed";
}
