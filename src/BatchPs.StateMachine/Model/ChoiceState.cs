namespace BatchPs.StateMachine.Model;

/// <summary>A Choice state: goes to the Next of the first rule that matches, else Default.</summary>
public sealed class ChoiceState : State
{
    /// <inheritdoc />
    public override string Type => "Choice";

    /// <summary>The top-level rules, in order.</summary>
    public required IReadOnlyList<ChoiceRule> Choices { get; init; }

    /// <summary>The Default state, or null.</summary>
    public string? Default { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Targets()
    {
        foreach (var rule in Choices)
        {
            yield return rule.Next!;
        }
        if (Default is not null)
        {
            yield return Default;
        }
    }
}
