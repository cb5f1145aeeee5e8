namespace BatchPs.Admin.Stacks;

/// <summary>One resource change a change set would make (what <c>-WhatIf</c> shows).</summary>
public sealed class StackChangeInfo
{
    /// <summary><c>Add</c>, <c>Modify</c>, <c>Remove</c>, <c>Import</c> or <c>Dynamic</c>.</summary>
    public string Action { get; set; } = "";
    /// <summary>The resource's logical id in the template.</summary>
    public string LogicalResourceId { get; set; } = "";
    /// <summary>The resource's physical id, for existing resources.</summary>
    public string? PhysicalResourceId { get; set; }
    /// <summary>The resource type.</summary>
    public string ResourceType { get; set; } = "";
    /// <summary>For <c>Modify</c>: <c>True</c>, <c>False</c> or <c>Conditional</c> — whether the resource is replaced.</summary>
    public string? Replacement { get; set; }
    /// <summary>Which parts change (<c>Properties</c>, <c>Metadata</c>, <c>Tags</c> ...).</summary>
    public List<string> Scope { get; set; } = new();

    /// <summary>One line: action, type, logical id and replacement.</summary>
    public override string ToString() =>
        $"{Action} {ResourceType} {LogicalResourceId}" + (Replacement is null or "False" ? "" : $" (replacement: {Replacement})");
}
