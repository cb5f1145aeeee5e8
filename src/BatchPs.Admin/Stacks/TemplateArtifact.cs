namespace BatchPs.Admin.Stacks;

/// <summary>A local file a template property names (what <c>aws cloudformation package</c> uploads).</summary>
internal sealed class TemplateArtifact
{
    public TemplateArtifact(int line, string indent, string property, string path)
    {
        Line = line;
        Indent = indent;
        Property = property;
        Path = path;
    }

    /// <summary>The template line (0-based) that names the file.</summary>
    public int Line { get; }
    /// <summary>The property's indentation.</summary>
    public string Indent { get; }
    /// <summary><c>Code</c> (AWS::Lambda::Function) or <c>DefinitionS3Location</c> (AWS::StepFunctions::StateMachine).</summary>
    public string Property { get; }
    /// <summary>The file's full path.</summary>
    public string Path { get; }
}
