using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Cloud.Tests;

/// <summary>
/// The state machine's input as Core builds it, with every SubmitJob field a catalog entry and a trigger can
/// set, kept in cloudformation/tests/fixtures/workflow-input.json, where the Node checks hold it to Batch's
/// SubmitJob model (specs.test.js). Set BATCHPS_UPDATE_FIXTURES=1 to rewrite the file after a change.
/// </summary>
public sealed class WorkflowInputFixtureTests
{
    private static readonly string FixturePath = Path.Combine(CloudTemplate.RepositoryRoot, "cloudformation", "tests", "fixtures", "workflow-input.json");

    internal static JsonObject FullInput()
    {
        var entry = new JobCatalogEntry
        {
            Name = "nightly-export",
            JobQueue = "arn:aws:batch:eu-west-1:123456789012:job-queue/nightly",
            JobDefinition = "arn:aws:batch:eu-west-1:123456789012:job-definition/export:3",
            Parameters = new(StringComparer.Ordinal) { ["date"] = null, ["format"] = "csv" },
            TimeoutSeconds = 3600,
            RetryStrategy = new RetryStrategy
            {
                Attempts = 3,
                EvaluateOnExit = [new EvaluateOnExit { OnExitCode = "137", OnStatusReason = "Host EC2*", OnReason = "*", Action = "retry" }],
            },
            ShareIdentifier = "teamA",
            SchedulingPriority = 10,
            ArraySize = 4,
            Tags = new Dictionary<string, string> { ["team"] = "data" },
        };
        var trigger = new TriggerRecord
        {
            TriggerId = "k-nightly-2026-11-24",
            JobName = entry.Name,
            Parameters = new(StringComparer.Ordinal) { ["date"] = "2026-11-24" },
            Overrides = new TriggerOverrides { SchedulingPriority = 20, RetryAttempts = 2 },
        };
        return WorkflowInput.Build(trigger, entry);
    }

    [Fact]
    public void Fixture_is_the_workflow_input_Core_builds_with_every_SubmitJob_field()
    {
        var text = FullInput().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("BATCHPS_UPDATE_FIXTURES") == "1") File.WriteAllText(FixturePath, text);
        var submit = FullInput()["submitJob"]!.AsObject();
        foreach (var field in new[] { "JobName", "JobQueue", "JobDefinition", "Parameters", "Timeout", "RetryStrategy", "ShareIdentifier", "SchedulingPriorityOverride", "ArrayProperties", "Tags", "PropagateTags" })
            Assert.True(submit.ContainsKey(field), $"the full input lacks {field}: give the sample entry what sets it");
        Assert.True(File.Exists(FixturePath), $"{FixturePath} is missing; run with BATCHPS_UPDATE_FIXTURES=1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(FixturePath)), JsonNode.Parse(text)),
            $"{FixturePath} differs from what WorkflowInput.Build produces; run this test with BATCHPS_UPDATE_FIXTURES=1 and check cloudformation/tests (npm test).");
    }
}
