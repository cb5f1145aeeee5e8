using System.Xml.Linq;

namespace BatchPs.HelpCompiler;

/// <summary>Writes cmdlet help as MAML, the XML that PowerShell's Get-Help reads for compiled cmdlets.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<HelpMarkdown> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

    private static XElement CommandElement(HelpMarkdown help)
    {
        var dash = help.Name.IndexOf('-');
        var ordered = help.Parameters
            .OrderBy(p => int.TryParse(p.Position, out var n) ? n : int.MaxValue)
            .ToList();
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Name[..dash]),
                new XElement(Command + "noun", help.Name[(dash + 1)..]),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(Command + "syntax",
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", help.Name),
                    ordered.Select(p => Parameter(p, inSyntax: true)))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => new XElement(Command + "inputType", TypeElement(t.Type), Description(t.Description)))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => new XElement(Command + "returnValue", TypeElement(t.Type), Description(t.Description)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", help.Notes.Select(Para))),
            new XElement(Command + "examples", help.Examples.Select(e =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", e.Remarks.Select(Para))))),
            new XElement(Command + "relatedLinks", help.Links.Select(l =>
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri.StartsWith("http", StringComparison.Ordinal) ? l.Uri : "")))));
    }

    private static XElement Parameter(HelpParameter p, bool inSyntax)
    {
        var isSwitch = p.Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
        var element = new XElement(Command + "parameter",
            new XAttribute("required", p.Required ? "true" : "false"),
            new XAttribute("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", p.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", p.Pipeline),
            new XAttribute("position", string.Equals(p.Position, "named", StringComparison.OrdinalIgnoreCase) ? "named" : p.Position),
            new XAttribute("aliases", p.Aliases),
            new XElement(Maml + "name", p.Name),
            Description(p.Description));
        if (!isSwitch || !inSyntax)
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", isSwitch ? "false" : "true"), new XAttribute("variableLength", "false"), p.Type));
        element.Add(TypeElement(p.Type), new XElement(Dev + "defaultValue", p.DefaultValue));
        return element;
    }

    private static XElement TypeElement(string type) => new(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);
}
