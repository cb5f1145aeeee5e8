using System.Text;
using System.Text.RegularExpressions;

namespace BatchPs.Admin.Stacks;

/// <summary>
/// Does for a YAML template what <c>aws cloudformation package</c> does for the properties BatchPs uses: a
/// Lambda function's <c>Code</c> and a state machine's <c>DefinitionS3Location</c> given as local paths
/// (relative to the template) are found, and after upload rewritten to their S3 locations
/// (<c>S3Bucket</c>/<c>S3Key</c>, <c>Bucket</c>/<c>Key</c>). Only those lines change; the rest of the
/// template — short-form tags, comments — stays as written.
/// </summary>
internal static class TemplatePackager
{
    private static readonly Regex LocalPathProperty = new(
        @"^(?<indent>\s+)(?<property>Code|DefinitionS3Location):[ \t]+(?<value>[^\s#'""!{\[&*|>][^#]*?)[ \t]*(#.*)?$",
        RegexOptions.CultureInvariant);

    /// <summary>The local files the template names; <paramref name="codeOverride"/> replaces the file of every <c>Code</c>.</summary>
    public static IReadOnlyList<TemplateArtifact> FindArtifacts(string[] lines, string templatePath, string? codeOverride)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(templatePath)) ?? ".";
        var artifacts = new List<TemplateArtifact>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = LocalPathProperty.Match(lines[i]);
            if (!match.Success) continue;
            var value = match.Groups["value"].Value;
            if (value.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) continue;
            var property = match.Groups["property"].Value;
            var path = property == "Code" && codeOverride is not null ? codeOverride : Path.GetFullPath(Path.Combine(folder, value));
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"The template's {property} (line {i + 1}) names '{value}', which is not a file at {path}." +
                    (property == "Code" ? " Build the Lambda package (dotnet publish lambda/BatchPs.Lambda -c Release) or pass -LambdaPackagePath." : ""), path);
            artifacts.Add(new TemplateArtifact(i, match.Groups["indent"].Value, property, path));
        }
        return artifacts;
    }

    /// <summary>The template with each artifact's line replaced by its S3 location.</summary>
    public static string Rewrite(string[] lines, IReadOnlyDictionary<TemplateArtifact, (string Bucket, string Key)> locations)
    {
        var byLine = locations.ToDictionary(p => p.Key.Line);
        var text = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (byLine.TryGetValue(i, out var found))
            {
                var (artifact, (bucket, key)) = (found.Key, found.Value);
                var (bucketName, keyName) = artifact.Property == "Code" ? ("S3Bucket", "S3Key") : ("Bucket", "Key");
                var child = artifact.Indent + "  ";
                text.Append(artifact.Indent).Append(artifact.Property).Append(":\n")
                    .Append(child).Append(bucketName).Append(": '").Append(bucket).Append("'\n")
                    .Append(child).Append(keyName).Append(": '").Append(key).Append("'\n");
            }
            else
            {
                text.Append(lines[i]).Append('\n');
            }
        }
        return text.ToString();
    }
}
