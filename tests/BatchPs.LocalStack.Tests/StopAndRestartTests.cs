using BatchPs.LocalStack.Batch;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class StopAndRestartTests
{
    [Fact]
    public async Task A_clean_stop_interrupts_the_running_attempt_and_every_job_finishes_after_the_restart_the_interrupted_one_not_counted()
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
                Assert.Equal(1, final.Attempts);
            }
        }
        finally
        {
            await stack.DisposeAsync();
            work.Dispose();
        }
    }

    [Fact]
    public async Task An_attempt_a_clean_stop_interrupted_runs_again_after_the_restart_and_says_the_shutdown_stopped_it()
    {
        var work = new TestFolder();
        var release = work.File("release");
        var runs = work.File("runs.txt");
        File.WriteAllText(runs, "");
        // No retries: the stop's interruption must not count as the job's one attempt.
        var stack = await TestStack.StartAsync(Jobs.Shell("hold",
            "echo \"run $AWS_BATCH_JOB_ATTEMPT $$\" >> \"$2\"; while [ ! -e \"$1\" ]; do sleep 0.05; done", "\"Ref::release\", \"Ref::runs\"",
            $$"""{"release": {{System.Text.Json.JsonSerializer.Serialize(release)}}, "runs": {{System.Text.Json.JsonSerializer.Serialize(runs)}}}"""), concurrency: 1);
        try
        {
            var id = (await stack.SendAsync("hold")).TriggerId;
            await Eventually.WaitForAsync(() => stack.GetAsync(id), r => r.Status == TriggerStatus.RUNNING, TimeSpan.FromSeconds(60), "running");
            var firstPid = int.Parse(File.ReadAllLines(runs).Single().Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            var logPath = (await stack.GetAsync(id)).LogLocation!;

            var beforeStop = DateTimeOffset.UtcNow;
            stack = await stack.RestartAsync();

            Assert.False(ProcessProbe.IsAlive(firstPid), "the stop left the attempt's process running");
            Assert.Contains("(1 stopped by the local stack's shutdown, run again)", stack.Server.RecoverySummary);
            var note = File.ReadAllLines(logPath).Single(l => l.Contains("[BatchPs local stack]", StringComparison.Ordinal));
            Assert.Contains("The local stack's shutdown stopped this attempt at ", note);
            var stoppedAt = DateTimeOffset.Parse(note.Split("attempt at ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(stoppedAt, beforeStop.AddSeconds(-1), DateTimeOffset.UtcNow);

            await Eventually.WaitForAsync(() => File.ReadAllLines(runs).Length == 2, TimeSpan.FromSeconds(60), "the attempt running again");
            File.WriteAllText(release, "go");
            var final = await stack.WaitForFinalAsync(id);
            Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
            Assert.Equal(1, final.Attempts);
            Assert.All(File.ReadAllLines(runs), line => Assert.StartsWith("run 1 ", line));
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
