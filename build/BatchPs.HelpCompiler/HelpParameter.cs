namespace BatchPs.HelpCompiler;

/// <summary>A <c>### -Name</c> entry of the PARAMETERS section: its text and its yaml metadata.</summary>
internal sealed class HelpParameter
{
    public string Name { get; init; } = "";
    public List<string> Description { get; } = new();
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string Type => Metadata.TryGetValue("Type", out var t) ? t : "Object";
    public bool Required => Metadata.TryGetValue("Required", out var r) && r.Equals("True", StringComparison.OrdinalIgnoreCase);
    public string Position => Metadata.TryGetValue("Position", out var p) ? p : "Named";
    public string Pipeline => Metadata.TryGetValue("Accept pipeline input", out var p) ? p : "False";
    public string DefaultValue => Metadata.TryGetValue("Default value", out var d) ? d : "None";
    public string Aliases => Metadata.TryGetValue("Aliases", out var a) && a.Length > 0 ? a : "none";
    public bool Globbing => Metadata.TryGetValue("Accept wildcard characters", out var g) && g.Equals("True", StringComparison.OrdinalIgnoreCase);
}
