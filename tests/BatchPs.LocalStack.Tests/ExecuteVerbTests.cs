using System.Text.Json.Nodes;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.LocalStack.Tests;

/// <summary>The <c>execute</c> verb as a child process.</summary>
public sealed class ExecuteVerbTests
{
    private static string Case(string name) => Path.Combine(Conformance.Root, name);

    [Theory]
    [InlineData("io-pass-result-example")]
    [InlineData("choice-spec-example-and")]
    [InlineData("intrinsic-format")]
    public async Task Execute_prints_what_the_conformance_case_expects(string name)
    {
        var folder = Case(name);
        using var data = new TestFolder();
        using var run = StackProcess.Start("execute", "--definition", Path.Combine(folder, "definition.json"), "--input", Path.Combine(folder, "input.json"),
            "--name", "conformance", "--data", data.Path);
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")))!.AsObject();
        var printed = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal(expected["status"]!.ToJsonString(), printed["status"]!.ToJsonString());
        Assert.Equal((string?)expected["status"] == "SUCCEEDED" ? 0 : 1, exit);
        foreach (var field in new[] { "output", "error", "cause", "transitionCount" })
        {
            if (expected[field] is { } value) Assert.True(JsonNode.DeepEquals(value, printed[field]), $"{field}: expected {value.ToJsonString()}, printed {printed[field]?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Execute_runs_a_catalog_job_through_batch_submitJob_sync_and_prints_its_detail()
    {
        using var data = new TestFolder();
        var catalog = data.Write("catalog.json", "{\"jobs\": [" + Jobs.Shell("ok", "echo done") + "]}");
        var definition = data.Write("definition.json", """
            {"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
              "Parameters": {"JobName": "try", "JobQueue": "local", "JobDefinition": "ok"},
              "ResultSelector": {"status.$": "$.Status", "exitCode.$": "$.Container.ExitCode"}, "End": true}}}
            """);
        using var run = StackProcess.Start("execute", "--definition", definition, "--catalog", catalog, "--data", Path.Combine(data.Path, "data"));
        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var printed = JsonNode.Parse(run.Output)!;
        Assert.Equal("SUCCEEDED", (string?)printed["status"]);
        Assert.Equal("SUCCEEDED", (string?)printed["output"]!["status"]);
        Assert.Equal(0, (int)printed["output"]!["exitCode"]!);
        Assert.Equal(1, (int)printed["transitionCount"]!);
    }

    [Fact]
    public async Task Execute_refuses_a_definition_with_a_resource_the_local_stack_does_not_offer()
    {
        using var data = new TestFolder();
        var definition = data.Write("definition.json", """
            {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
            """);
        using var run = StackProcess.Start("execute", "--definition", definition, "--data", Path.Combine(data.Path, "data"));
        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("arn:aws:states:::lambda:invoke", run.Output);
    }
}
