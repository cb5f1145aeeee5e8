namespace BatchPs.Admin.Stacks;

/// <summary>The result of a deployment.</summary>
public sealed class DeployResult
{
    /// <summary>Creates the result.</summary>
    public DeployResult(DeployOutcome outcome, StackInfo? stack, IReadOnlyList<StackChangeInfo> changes)
    {
        Outcome = outcome;
        Stack = stack;
        Changes = changes;
    }

    /// <summary>What happened.</summary>
    public DeployOutcome Outcome { get; }
    /// <summary>The stack afterwards (null after a <c>-WhatIf</c> for a stack that does not exist yet).</summary>
    public StackInfo? Stack { get; }
    /// <summary>The change set's changes (for <c>-WhatIf</c>, what would change).</summary>
    public IReadOnlyList<StackChangeInfo> Changes { get; }
}
