using YamlDotNet.RepresentationModel;

namespace BatchPs.Cloud.Tests;

/// <summary>cloudformation/template.yaml loaded as YAML, CloudFormation's short-form tags (!Ref, !Sub...) kept on the nodes.</summary>
internal sealed class CloudTemplate
{
    private CloudTemplate(string path, YamlMappingNode root, string[] lines)
    {
        Path = path;
        Root = root;
        Lines = lines;
    }

    public string Path { get; }
    public YamlMappingNode Root { get; }
    public string[] Lines { get; }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "BatchPs.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("BatchPs.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static CloudTemplate Load()
    {
        var path = System.IO.Path.Combine(RepositoryRoot, "cloudformation", "template.yaml");
        var text = File.ReadAllText(path);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return new CloudTemplate(path, (YamlMappingNode)stream.Documents[0].RootNode, text.Split('\n'));
    }

    public YamlMappingNode Resources => Map(Root, "Resources");

    public IEnumerable<(string Name, YamlMappingNode Resource)> ResourcesOfType(string type) =>
        Resources.Children
            .Where(r => Scalar(Map((YamlMappingNode)r.Value), "Type") == type)
            .Select(r => (((YamlScalarNode)r.Key).Value!, (YamlMappingNode)r.Value));

    public YamlMappingNode Properties(string resource) => Map(Map(Resources, resource), "Properties");

    public static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    public static YamlMappingNode Map(YamlMappingNode node) => node;

    public static YamlNode? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(YamlMappingNode node, string key) => Get(node, key) is YamlScalarNode s ? s.Value : null;

    /// <summary>The node's explicit tag (<c>!Ref</c>, <c>!If</c>...), or null.</summary>
    public static string? TagOf(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;

    /// <summary>The logical id a node refers to: <c>!Ref X</c>, <c>!GetAtt X.Attr</c>.</summary>
    public static string? Reference(YamlNode? node) => node is not YamlScalarNode s ? null : TagOf(s) switch
    {
        "!Ref" => s.Value,
        "!GetAtt" => s.Value!.Split('.')[0],
        _ => null,
    };

    /// <summary>The comment lines just above <paramref name="node"/> up to the statement that holds it.</summary>
    public string CommentsAbove(YamlNode node, YamlNode statement)
    {
        var from = (int)statement.Start.Line - 1;
        var to = (int)node.Start.Line - 1;
        return string.Join("\n", Lines.Skip(from).Take(Math.Max(0, to - from + 1)).Where(l => l.TrimStart().StartsWith('#')));
    }
}
