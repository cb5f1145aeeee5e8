using System.Net;
using System.Text.Json.Nodes;
using BatchPs.LocalStack.Storage;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

/// <summary>Executions of the shipped definition across a restart, and histories of triggers without one.</summary>
public sealed class WorkflowDurabilityTests
{
    private static readonly string ResumeJob = Jobs.Shell("resume",
        "echo $AWS_BATCH_JOB_ATTEMPT >> \"$1\"; [ $(wc -l < \"$1\") -ge 2 ] || sleep 60", "\"Ref::marker\"", """{"marker": null}""",
        """, "retryStrategy": {"attempts": 2}""");

    [Fact]
    public async Task A_restart_mid_job_resumes_the_execution_without_rerunning_completed_tasks_or_the_job_twice()
    {
        var stack = await TestStack.StartAsync(ResumeJob);
        try
        {
            var marker = Path.Combine(stack.Folder.Path, "attempts.txt");
            var sent = await stack.SendAsync("resume", new { marker });
            await Eventually.WaitForAsync(() => stack.GetAsync(sent.TriggerId), r => r.Status == TriggerStatus.RUNNING && File.Exists(marker),
                TimeSpan.FromSeconds(60), "the first attempt running");

            stack = await stack.RestartAsync();
            var final = await stack.WaitForFinalAsync(sent.TriggerId);

            Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
            Assert.Equal(1, final.Attempts); // the attempt the stop interrupted runs again, uncounted, never alongside
            Assert.Equal(new[] { "1", "1" }, File.ReadAllLines(marker));
            Assert.Equal(1, TestStack.CountRows(stack.DataDirectory, "batch_jobs")); // the resumed Task re-attached to its job
            var history = await ShippedDefinitionTests.WaitForExecutionAsync(stack, sent.TriggerId);
            Assert.Equal("SUCCEEDED", (string?)history["status"]);
            var entered = ShippedDefinitionTests.Entered(history);
            Assert.Single(entered, "Record SUBMITTED");
            Assert.Equal("Done", entered[^1]);
            Assert.Single(history["events"]!.AsArray(), e => (string?)e!["type"] == "ExecutionStarted");
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_history_of_a_trigger_without_an_execution_is_empty_with_zero_transitions()
    {
        var folder = new TestFolder();
        // A trigger the handler rejects (its job left the catalog before it was handled) never gets an execution.
        using (var database = LocalDatabase.Open(Path.Combine(folder.Path, "data")))
        {
            var now = DateTimeOffset.UtcNow;
            await new TriggerStore(database).InsertAsync(new TriggerRecord
            {
                TriggerId = "t-gone", JobName = "gone", IdempotencyKey = "t-gone", Status = TriggerStatus.RECEIVED,
                CreatedAt = now, UpdatedAt = now, StatusChangedAt = now, Version = 1,
            });
        }
        await using var stack = await TestStack.StartInAsync(folder, ResumeJob);
        var final = await stack.WaitForFinalAsync("t-gone");
        Assert.Equal(TriggerStatus.REJECTED, final.Status);

        using var response = await stack.Client.GetAsync("/triggers/t-gone/history");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("t-gone", (string?)body["triggerId"]);
        Assert.Equal(0, (int)body["transitionCount"]!);
        Assert.Empty(body["events"]!.AsArray());
        Assert.Null(body["executionId"]);
    }
}
