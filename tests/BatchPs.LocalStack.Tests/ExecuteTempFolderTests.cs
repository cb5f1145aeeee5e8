using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.Tests;

/// <summary>The <c>execute</c> verb's own data folder: created in the temp folder, removed after the run.</summary>
public sealed class ExecuteTempFolderTests
{
    [Fact]
    public async Task Execute_without_data_option_leaves_nothing_in_the_temp_folder()
    {
        using var temp = new TestFolder();
        var definition = temp.Write("definition.json", """{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}}""");
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp.Path, ["TMP"] = temp.Path, ["TEMP"] = temp.Path, ["BATCHPS_LOCAL_DATA"] = "" };

        using var run = StackProcess.Start(environment, "execute", "--definition", definition);

        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("SUCCEEDED", (string?)JsonNode.Parse(run.Output)!["status"]);
        Assert.Equal(["definition.json"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Execute_keeps_the_data_folder_the_caller_named()
    {
        using var temp = new TestFolder();
        var definition = temp.Write("definition.json", """{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""");
        var data = Path.Combine(temp.Path, "data");

        using var run = StackProcess.Start("execute", "--definition", definition, "--data", data);

        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(data));
    }
}
