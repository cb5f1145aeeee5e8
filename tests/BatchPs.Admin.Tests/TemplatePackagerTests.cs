using BatchPs.Admin.Stacks;

namespace BatchPs.Admin.Tests;

public sealed class TemplatePackagerTests
{
    private static string RepositoryFile(params string[] parts)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "BatchPs.sln"))) folder = folder.Parent;
        return Path.Combine(new[] { folder!.FullName }.Concat(parts).ToArray());
    }

    [Fact]
    public void The_shipped_template_names_the_Lambda_package_and_the_state_machine_definition_and_stays_inline_after_packaging()
    {
        var templatePath = RepositoryFile("cloudformation", "template.yaml");
        var lines = File.ReadAllText(templatePath).Replace("\r\n", "\n").Split('\n');
        var zip = Path.GetTempFileName();
        try
        {
            var artifacts = TemplatePackager.FindArtifacts(lines, templatePath, codeOverride: zip);
            var packaged = TemplatePackager.Rewrite(lines, artifacts.ToDictionary(a => a, a => ("bucket", "key/" + a.Property)));

            // The stream function's and the read function's Code (the same package), and the state machine definition.
            Assert.Equal(new[] { "Code", "Code", "DefinitionS3Location" }, artifacts.Select(a => a.Property));
            Assert.Equal(RepositoryFile("cloudformation", "statemachine", "trigger.asl.json"), artifacts[2].Path);
            Assert.Contains("S3Key: 'key/Code'", packaged);
            Assert.Contains("Key: 'key/DefinitionS3Location'", packaged);
            Assert.DoesNotContain("Code: ../artifacts", packaged);
            // Walking both: each template line is kept as it was, replaced by its artifact's three lines, or (a comment) left out.
            var packagedLines = packaged.Split('\n');
            var artifactLines = artifacts.Select(a => a.Line).ToHashSet();
            var j = 0;
            var leftOut = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                if (artifactLines.Contains(i)) { j += 3; continue; }
                if (packagedLines[j] == lines[i]) { j++; continue; }
                Assert.True(lines[i].TrimStart().StartsWith('#') && !IsVtl(lines[i]), $"line {i + 1} is missing from the packaged template: {lines[i]}");
                leftOut++;
            }
            Assert.Equal(packagedLines.Length - 1, j); // every line ended
            Assert.True(leftOut > 0, "the template's comment lines are left out");
            var vtl = lines.Where(IsVtl).ToList();
            Assert.NotEmpty(vtl);
            Assert.All(vtl, line => Assert.Contains(line + "\n", packaged)); // a mapping template's #set/#if/#foreach is text, not a comment
            var size = System.Text.Encoding.UTF8.GetByteCount(packaged);
            Assert.True(size <= DeployRequest.MaxTemplateBodyBytes, $"the packaged template ({size:N0} bytes) fits CreateChangeSet's TemplateBody");
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [Fact]
    public void Properties_that_are_not_local_paths_are_left_alone()
    {
        var lines = new[]
        {
            "Resources:",
            "  A:",
            "    Properties:",
            "      Code: { ZipFile: 'print(1)' }",
            "      DefinitionS3Location: !Ref DefinitionLocation",
            "  B:",
            "    Properties:",
            "      Code: s3://bucket/key.zip",
            "      Code:",
            "        S3Bucket: b",
        };

        Assert.Empty(TemplatePackager.FindArtifacts(lines, Path.Combine(Path.GetTempPath(), "t.yaml"), null));
    }

    private static bool IsVtl(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("#set", StringComparison.Ordinal) || trimmed.StartsWith("#if", StringComparison.Ordinal)
            || trimmed.StartsWith("#foreach", StringComparison.Ordinal) || trimmed.StartsWith("#end", StringComparison.Ordinal)
            || trimmed.StartsWith("#else", StringComparison.Ordinal);
    }
}
