using BatchPs.LocalStack.Batch;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class StopAndRestartTests
{
    [Fact]
    public async Task A_clean_stop_interrupts_the_running_attempt_and_every_job_finishes_after_the_restart()
    {
        var work = new TestFolder();
        var release = work.File("release");
        var stack = await TestStack.StartAsync(Jobs.Shell("hold", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "\"Ref::release\"",
            $$"""{"release": {{System.Text.Json.JsonSerializer.Serialize(release)}}}""", """, "retryStrategy": {"attempts": 2}"""), concurrency: 1);
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 3; i++) ids.Add((await stack.SendAsync("hold")).TriggerId);
            var running = await Eventually.WaitForAsync(async () => await Task.WhenAll(ids.Select(stack.GetAsync)),
                records => records.Count(r => r.Status == TriggerStatus.RUNNING) == 1 && records.Count(r => r.Status == TriggerStatus.RUNNABLE) == 2,
                TimeSpan.FromSeconds(60), "one running, two waiting");
            var interrupted = running.Single(r => r.Status == TriggerStatus.RUNNING).TriggerId;

            stack = await stack.RestartAsync();
            File.WriteAllText(release, "go");

            foreach (var id in ids)
            {
                var final = await stack.WaitForFinalAsync(id);
                Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
                Assert.Equal(id == interrupted ? 2 : 1, final.Attempts);
            }
        }
        finally
        {
            await stack.DisposeAsync();
            work.Dispose();
        }
    }

    [Fact]
    public async Task An_interrupted_attempt_without_retries_left_fails_with_a_clear_reason()
    {
        var work = new TestFolder();
        var release = work.File("release");
        var stack = await TestStack.StartAsync(Jobs.Shell("hold", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "\"Ref::release\"",
            $$"""{"release": {{System.Text.Json.JsonSerializer.Serialize(release)}}}"""), concurrency: 1);
        try
        {
            var id = (await stack.SendAsync("hold")).TriggerId;
            await Eventually.WaitForAsync(() => stack.GetAsync(id), r => r.Status == TriggerStatus.RUNNING, TimeSpan.FromSeconds(60), "running");

            stack = await stack.RestartAsync();

            var final = await stack.WaitForFinalAsync(id);
            Assert.Equal(TriggerStatus.FAILED, final.Status);
            Assert.Equal(JobRecovery.VanishedReason, final.StatusReason);
            Assert.Null(final.ExitCode);
        }
        finally
        {
            await stack.DisposeAsync();
            work.Dispose();
        }
    }

    [Fact]
    public async Task An_array_job_interrupted_by_a_stop_finishes_after_the_restart()
    {
        var work = new TestFolder();
        var release = work.File("release");
        var stack = await TestStack.StartAsync(Jobs.Shell("fan", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "\"Ref::release\"",
            $$"""{"release": {{System.Text.Json.JsonSerializer.Serialize(release)}}}""", """, "arraySize": 3, "retryStrategy": {"attempts": 2}"""), concurrency: 2);
        try
        {
            var id = (await stack.SendAsync("fan")).TriggerId;
            await Eventually.WaitForAsync(() => stack.GetAsync(id), r => r.Status == TriggerStatus.RUNNING && r.ArrayStatusSummary?["RUNNING"] == 2,
                TimeSpan.FromSeconds(60), "two children running");

            stack = await stack.RestartAsync();
            File.WriteAllText(release, "go");

            var final = await stack.WaitForFinalAsync(id);
            Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
            Assert.Equal(3, final.ArrayStatusSummary!["SUCCEEDED"]);
        }
        finally
        {
            await stack.DisposeAsync();
            work.Dispose();
        }
    }

    [Fact]
    public async Task A_second_stack_on_the_same_data_folder_is_refused()
    {
        await using var stack = await TestStack.StartAsync(Jobs.Shell("quick", "exit 0"));
        var error = await Assert.ThrowsAsync<IOException>(() => BatchPs.LocalStack.Hosting.LocalStackServer.StartAsync(new BatchPs.LocalStack.Hosting.LocalStackOptions
        {
            DataDirectory = stack.DataDirectory,
            CatalogPath = stack.CatalogPath,
            ApiKey = "other",
        }));
        Assert.Contains(stack.DataDirectory, error.Message);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await stack.PostRawAsync("""{"jobName": "quick"}""")).StatusCode);
    }
}
