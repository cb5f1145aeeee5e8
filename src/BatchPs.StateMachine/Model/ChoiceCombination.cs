using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>An And or Or rule over a non-empty list of rules.</summary>
public sealed class ChoiceCombination : ChoiceRule
{
    /// <summary>True for And, false for Or.</summary>
    public required bool IsAnd { get; init; }

    /// <summary>The combined rules.</summary>
    public required IReadOnlyList<ChoiceRule> Rules { get; init; }

    internal override bool Evaluate(PathScope scope) =>
        IsAnd ? Rules.All(r => r.Evaluate(scope)) : Rules.Any(r => r.Evaluate(scope));
}
