using System.Net;
using System.Text.Json.Nodes;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

/// <summary>The shipped state machine definition (trigger.asl.json) end to end on the local stack: real SQLite, real processes.</summary>
public sealed class ShippedDefinitionTests : IAsyncLifetime
{
    private TestStack _stack = null!;

    public async Task InitializeAsync()
    {
        var jobs = string.Join(",\n",
            Jobs.Shell("ok", "echo done"),
            Jobs.Shell("fail", "echo about to fail; exit 3"),
            Jobs.Shell("retry", "[ \"$AWS_BATCH_JOB_ATTEMPT\" -ge 2 ] || exit 9", more: """, "retryStrategy": {"attempts": 2}"""),
            Jobs.Shell("hang", "sleep 60", more: """, "timeoutSeconds": 1"""));
        _stack = await TestStack.StartAsync(jobs);
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task A_successful_job_is_recorded_SUCCEEDED_by_the_definition_in_five_transitions()
    {
        var sent = await _stack.SendAsync("ok");
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        Assert.Equal(0, final.ExitCode);
        Assert.Equal(1, final.Attempts);
        Assert.NotNull(final.BatchJobId);
        Assert.Contains("done", File.ReadAllText(final.LogLocation!));

        var history = await WaitForExecutionAsync(sent.TriggerId);
        Assert.Equal("SUCCEEDED", (string?)history["status"]);
        Assert.Equal(final.ExecutionId, (string?)history["executionId"]);
        // Record SUBMITTED, Run job, Which success details?, Record SUCCEEDED (exit code and log), Done.
        Assert.Equal(5, (int)history["transitionCount"]!);
        var entered = Entered(history);
        Assert.Equal(new[] { "Record SUBMITTED", "Run job", "Which success details?", "Record SUCCEEDED (exit code and log)", "Done" }, entered);
        var runJobExit = history["events"]!.AsArray().Single(e => (string?)e!["type"] == "TaskStateExited" && (string?)e["stateName"] == "Run job")!;
        Assert.Equal(final.BatchJobId, (string?)runJobExit["output"]!["job"]!["JobId"]);
    }

    [Fact]
    public async Task A_failing_job_is_FAILED_with_its_exit_code_and_reason_and_the_execution_fails()
    {
        var sent = await _stack.SendAsync("fail");
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.FAILED, final.Status);
        Assert.Equal(3, final.ExitCode);
        Assert.Contains("exited with code 3", final.StatusReason);
        Assert.Equal(1, final.Attempts);

        var history = await WaitForExecutionAsync(sent.TriggerId);
        Assert.Equal("FAILED", (string?)history["status"]);
        var events = history["events"]!.AsArray();
        Assert.Contains(events, e => (string?)e!["type"] == "ExecutionFailed" && (string?)e["error"] == "BatchPs.JobFailed");
        Assert.Contains(events, e => (string?)e!["type"] == "TaskFailed" && (string?)e["stateName"] == "Run job" && (string?)e["error"] == "States.TaskFailed");
        // Record SUBMITTED, Run job, Read failure cause (a Parallel state) and Parse cause in it, Which failure details?,
        // Record FAILED (exit code and log), Job failed.
        Assert.Equal(new[] { "Record SUBMITTED", "Run job", "Read failure cause", "Parse cause", "Which failure details?", "Record FAILED (exit code and log)", "Job failed" }, Entered(history));
        Assert.Equal(7, (int)history["transitionCount"]!);
    }

    [Fact]
    public async Task A_job_whose_first_attempt_fails_is_retried_by_its_retry_strategy_and_SUCCEEDED()
    {
        var sent = await _stack.SendAsync("retry");
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        Assert.Equal(0, final.ExitCode);
        Assert.Equal(2, final.Attempts);
        // Batch retries the job: the state machine still runs its one Task once.
        var history = await WaitForExecutionAsync(sent.TriggerId);
        Assert.Equal(5, (int)history["transitionCount"]!);
    }

    [Fact]
    public async Task A_job_past_its_timeout_is_FAILED_with_the_timeout_reason()
    {
        var sent = await _stack.SendAsync("hang");
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.FAILED, final.Status);
        Assert.Contains("Job attempt duration exceeded timeout", final.StatusReason);
        var history = await WaitForExecutionAsync(sent.TriggerId);
        Assert.Equal("FAILED", (string?)history["status"]);
    }

    [Fact]
    public async Task The_history_of_an_unknown_trigger_is_404_TriggerNotFound()
    {
        using var response = await _stack.Client.GetAsync("/triggers/no-such-trigger/history");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("TriggerNotFound", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    private Task<JsonObject> WaitForExecutionAsync(string triggerId) => WaitForExecutionAsync(_stack, triggerId);

    internal static async Task<JsonObject> WaitForExecutionAsync(TestStack stack, string triggerId) =>
        await Eventually.WaitForAsync(async () =>
        {
            using var response = await stack.Client.GetAsync($"/triggers/{triggerId}/history");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        }, h => (string?)h["status"] is "SUCCEEDED" or "FAILED" or "TIMED_OUT", TimeSpan.FromSeconds(60), $"execution of {triggerId} ended");

    internal static string[] Entered(JsonNode history) =>
        history["events"]!.AsArray().Where(e => ((string?)e!["type"])!.EndsWith("StateEntered", StringComparison.Ordinal) && e["stateName"] is not null)
            .Select(e => (string)e!["stateName"]!).ToArray();
}
