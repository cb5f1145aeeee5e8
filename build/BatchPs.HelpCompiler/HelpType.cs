namespace BatchPs.HelpCompiler;

/// <summary>A <c>### type</c> entry of the INPUTS or OUTPUTS section.</summary>
internal sealed record HelpType(string Type, List<string> Description);
