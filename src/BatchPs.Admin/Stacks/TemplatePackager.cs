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

    /// <summary>A line that opens a block scalar: <c>key: |</c>, <c>- &gt;-</c>, <c>Key: !Sub |</c>, <c>- - |-</c> (a list in a list, as <c>!Join</c> takes).</summary>
    private static readonly System.Text.RegularExpressions.Regex BlockScalarStart =
        new(@"(:|^\s*(-\s+)*-)\s*(![A-Za-z:]+\s+)?[|>][-+0-9]*\s*(#.*)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The template with each artifact's line replaced by its S3 location, and its comment lines left out (not those
    /// inside a block scalar, such as a mapping template's VTL): the template body CloudFormation takes inline is at
    /// most 51,200 bytes.
    /// </summary>
    public static string Rewrite(string[] lines, IReadOnlyDictionary<TemplateArtifact, (string Bucket, string Key)> locations)
    {
        var byLine = locations.ToDictionary(p => p.Key.Line);
        var text = new StringBuilder();
        var blockParentIndent = -1; // the indent of the key whose block scalar (| or >) the lines are in; -1 outside one
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var indent = line.Length - line.TrimStart(' ').Length;
            var trimmed = line.Trim();
            if (blockParentIndent >= 0 && (trimmed.Length == 0 || indent > blockParentIndent))
            {
                text.Append(line).Append('\n'); // block scalar content: a '#' there is text (VTL's #set, #if)
                continue;
            }
            blockParentIndent = BlockScalarStart.IsMatch(line) ? indent : -1;
            if (trimmed.StartsWith("#", StringComparison.Ordinal))
            {
                continue; // a comment line: CloudFormation ignores it, and TemplateBody is limited to 51,200 bytes
            }
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
                text.Append(line).Append('\n');
            }
        }
        return text.ToString();
    }
}
