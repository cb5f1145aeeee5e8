namespace BatchPs.Admin.Stacks;

/// <summary>What a deployment did.</summary>
public enum DeployOutcome
{
    /// <summary>The stack was created.</summary>
    Created,
    /// <summary>The stack was updated.</summary>
    Updated,
    /// <summary>The stack already matched the template and parameters: nothing to do (success).</summary>
    NoChanges,
    /// <summary><c>-WhatIf</c>: the changes were described, nothing executed.</summary>
    WhatIf,
}
