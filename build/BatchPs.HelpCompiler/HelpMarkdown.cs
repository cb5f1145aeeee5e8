namespace BatchPs.HelpCompiler;

/// <summary>
/// One cmdlet's help as written in markdown (the platyPS layout): <c># Name</c>, then <c>## SYNOPSIS</c>,
/// <c>## DESCRIPTION</c>, <c>## EXAMPLES</c> (<c>### title</c>, a code fence, remarks), <c>## PARAMETERS</c>
/// (<c>### -Name</c>, text, a yaml fence of Type/Required/Position/Default value/Accept pipeline input/
/// Accept wildcard characters/Aliases), <c>## INPUTS</c>, <c>## OUTPUTS</c> (<c>### type</c>, text),
/// <c>## NOTES</c>, <c>## RELATED LINKS</c> (<c>[text](uri)</c> lines).
/// </summary>
internal sealed class HelpMarkdown
{
    public string Name { get; private set; } = "";
    public List<string> Synopsis { get; } = new();
    public List<string> Description { get; } = new();
    public List<HelpExample> Examples { get; } = new();
    public List<HelpParameter> Parameters { get; } = new();
    public List<HelpType> Inputs { get; } = new();
    public List<HelpType> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<(string Text, string Uri)> Links { get; } = new();

    /// <summary>Parses one file; throws <see cref="FormatException"/> with the file and line on a layout error.</summary>
    public static HelpMarkdown Parse(string path)
    {
        var help = new HelpMarkdown();
        var lines = File.ReadAllLines(path);
        string? section = null;
        string? sub = null;
        var paragraph = new List<string>();
        List<string>? target = null;
        string? fenceInfo = null;
        var fence = new List<string>();
        string? pendingCode = null;

        void Flush()
        {
            if (paragraph.Count > 0 && target is not null) target.Add(string.Join(" ", paragraph));
            paragraph.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i == 0 && line == "---")
            {
                while (++i < lines.Length && lines[i] != "---") { }
                continue;
            }
            if (fenceInfo is not null)
            {
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    var text = string.Join("\n", fence);
                    if (section == "PARAMETERS" && fenceInfo == "yaml")
                    {
                        var parameter = help.Parameters.LastOrDefault() ?? throw Error(path, i, "a yaml block outside a parameter");
                        foreach (var entry in fence)
                        {
                            var colon = entry.IndexOf(':');
                            if (colon > 0) parameter.Metadata[entry[..colon].Trim()] = entry[(colon + 1)..].Trim();
                        }
                    }
                    else if (section == "EXAMPLES")
                    {
                        pendingCode = pendingCode is null ? text : pendingCode + "\n" + text;
                        help.Examples[^1] = help.Examples[^1] with { Code = pendingCode };
                    }
                    fenceInfo = null;
                    fence.Clear();
                }
                else
                {
                    fence.Add(line);
                }
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                fenceInfo = line[3..].Trim();
                if (section == "EXAMPLES" && help.Examples.Count == 0) throw Error(path, i, "example code before an example title");
                continue;
            }
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                help.Name = line[2..].Trim();
                continue;
            }
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                section = line[3..].Trim().ToUpperInvariant();
                sub = null;
                target = section switch
                {
                    "SYNOPSIS" => help.Synopsis,
                    "DESCRIPTION" => help.Description,
                    "NOTES" => help.Notes,
                    _ => null,
                };
                continue;
            }
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                sub = line[4..].Trim();
                switch (section)
                {
                    case "EXAMPLES":
                        pendingCode = null;
                        help.Examples.Add(new HelpExample(sub, "", new List<string>()));
                        target = help.Examples[^1].Remarks;
                        break;
                    case "PARAMETERS" when sub.StartsWith('-'):
                        var parameter = new HelpParameter { Name = sub[1..] };
                        help.Parameters.Add(parameter);
                        target = parameter.Description;
                        break;
                    case "PARAMETERS":
                        target = null; // CommonParameters: PowerShell describes them itself.
                        break;
                    case "INPUTS":
                        help.Inputs.Add(new HelpType(sub, new List<string>()));
                        target = help.Inputs[^1].Description;
                        break;
                    case "OUTPUTS":
                        help.Outputs.Add(new HelpType(sub, new List<string>()));
                        target = help.Outputs[^1].Description;
                        break;
                    default:
                        throw Error(path, i, $"a ### heading in section {section}");
                }
                continue;
            }
            if (section == "RELATED LINKS")
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith('[') && trimmed.Contains("](") && trimmed.EndsWith(')'))
                {
                    var close = trimmed.IndexOf("](", StringComparison.Ordinal);
                    help.Links.Add((trimmed[1..close], trimmed[(close + 2)..^1]));
                }
                continue;
            }
            if (line.Trim().Length == 0) Flush();
            else paragraph.Add(line.Trim());
        }
        Flush();
        if (help.Name.Length == 0) throw Error(path, 0, "no '# Cmdlet-Name' heading");
        if (help.Synopsis.Count == 0) throw Error(path, 0, "no SYNOPSIS");
        if (help.Examples.Count == 0) throw Error(path, 0, "no EXAMPLES");
        if (help.Examples.Any(e => e.Code.Length == 0)) throw Error(path, 0, "an example without code");
        return help;
    }

    private static FormatException Error(string path, int line, string what) => new($"{path}({line + 1}): {what}.");
}
