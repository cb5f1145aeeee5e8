using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>A Choice Rule: a comparison, or a Boolean combination of rules (And, Or, Not).</summary>
public abstract class ChoiceRule
{
    /// <summary>The state to go to when this top-level rule matches; null for nested rules.</summary>
    public string? Next { get; init; }

    internal abstract bool Evaluate(PathScope scope);
}
