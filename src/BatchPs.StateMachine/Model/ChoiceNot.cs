using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>A Not rule.</summary>
public sealed class ChoiceNot : ChoiceRule
{
    /// <summary>The negated rule.</summary>
    public required ChoiceRule Rule { get; init; }

    internal override bool Evaluate(PathScope scope) => !Rule.Evaluate(scope);
}
