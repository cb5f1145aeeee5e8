namespace BatchPs.Admin.Aws.CloudFormation;

/// <summary>The CreateChangeSet call's inputs.</summary>
internal sealed class ChangeSetRequest
{
    public string StackName { get; set; } = "";
    public string ChangeSetName { get; set; } = "";
    /// <summary><c>CREATE</c> or <c>UPDATE</c>.</summary>
    public string ChangeSetType { get; set; } = "CREATE";
    public string? TemplateBody { get; set; }
    public string? TemplateUrl { get; set; }
    public IReadOnlyDictionary<string, string> Parameters { get; set; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Capabilities { get; set; } = Array.Empty<string>();
    public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
    public string? Description { get; set; }
}
