using System.Text.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

/// <summary>
/// A status write of the local Batch that fails for a while (the disk is full) is retried as bookkeeping: the job
/// runs no more attempts than its retry strategy allows and ends as its process did.
/// </summary>
public sealed class BookkeepingFaultTests : IDisposable
{
    private readonly TestFolder _work = new();

    public void Dispose() => _work.Dispose();

    /// <summary>A stack whose job 'work' appends "triggerId attempt" to the returned file at each run.</summary>
    private async Task<(string Runs, TestStack Stack)> StartRecordingStackAsync()
    {
        var runs = _work.File("runs.txt");
        File.WriteAllText(runs, "");
        var stack = await TestStack.StartAsync(Jobs.Shell("work",
            "echo \"$BATCHPS_TRIGGER_ID $AWS_BATCH_JOB_ATTEMPT\" >> \"$1\"", "\"Ref::runs\"",
            $$"""{"runs": {{JsonSerializer.Serialize(runs)}}}"""));
        return (runs, stack);
    }

    [Fact]
    public async Task A_job_whose_end_cannot_be_recorded_for_a_while_runs_once_and_succeeds()
    {
        var runs = _work.File("runs.txt");
        var ended = _work.File("ended");
        File.WriteAllText(runs, "");
        await using var stack = await TestStack.StartAsync(Jobs.Shell("work",
            "echo \"run $AWS_BATCH_JOB_ATTEMPT\" >> \"$1\"; while [ ! -e \"$2.go\" ]; do sleep 0.05; done; touch \"$2\"",
            "\"Ref::runs\", \"Ref::ended\"",
            $$"""{"runs": {{JsonSerializer.Serialize(runs)}}, "ended": {{JsonSerializer.Serialize(ended)}}}"""));
        var faults = new DiskFaults(stack.Server);

        var id = (await stack.SendAsync("work")).TriggerId;
        await Eventually.WaitForAsync(() => stack.GetAsync(id), r => r.Status == TriggerStatus.RUNNING, TimeSpan.FromSeconds(60), "running");

        // The disk fills while the job runs, and frees only after its process ended (and its end failed to be stored).
        faults.Fill();
        File.WriteAllText(ended + ".go", "");
        await Eventually.WaitForAsync(() => File.Exists(ended), TimeSpan.FromSeconds(30), "the job's process ended");
        await Eventually.WaitForAsync(() => faults.Failed >= 2, TimeSpan.FromSeconds(30), "writes failing");
        await Task.Delay(300);
        faults.Free();

        var final = await stack.WaitForFinalAsync(id);
        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        Assert.Equal(1, final.Attempts);
        Assert.Equal(new[] { "run 1" }, File.ReadAllLines(runs));
    }

    [Fact]
    public async Task Jobs_accepted_just_before_the_disk_fills_for_seconds_run_once_each_and_succeed()
    {
        var runs = _work.File("runs.txt");
        File.WriteAllText(runs, "");
        await using var stack = await TestStack.StartAsync(Jobs.Shell("work",
            "echo \"$BATCHPS_TRIGGER_ID $AWS_BATCH_JOB_ATTEMPT\" >> \"$1\"; sleep 0.3", "\"Ref::runs\"",
            $$"""{"runs": {{JsonSerializer.Serialize(runs)}}}"""), concurrency: 3);
        var faults = new DiskFaults(stack.Server);

        var ids = new List<string>();
        for (var i = 0; i < 10; i++) ids.Add((await stack.SendAsync("work")).TriggerId);
        faults.Fill();
        await Task.Delay(3000);
        faults.Free();

        foreach (var id in ids)
        {
            var final = await stack.WaitForFinalAsync(id, timeoutSeconds: 90);
            Assert.True(final.Status == TriggerStatus.SUCCEEDED, $"{id}: {final.Status} {final.StatusReason}");
            Assert.Equal(1, final.Attempts);
            Assert.Equal(new[] { id + " 1" }, File.ReadAllLines(runs).Where(l => l.StartsWith(id, StringComparison.Ordinal)));
        }
        Assert.True(faults.Failed > 0, "the disk was never full while the jobs ran");
    }

    /// <summary>How many commits go through before the disk fills: each number makes a different write of the trigger's way fail first.</summary>
    public static TheoryData<int> WritePoints() => new(Enumerable.Range(1, 10));

    [Theory]
    [MemberData(nameof(WritePoints))]
    public async Task A_single_write_of_a_trigger_that_fails_is_retried_and_the_trigger_runs_once_and_succeeds(int commitsBefore)
    {
        var (runs, stack) = await StartRecordingStackAsync();
        await using var _ = stack;
        var faults = new DiskFaults(stack.Server);

        // The trigger's own commit and the next few go through; the one after them fails, the later ones do not.
        faults.FillAfter(commitsBefore, failing: 1);
        var id = (await stack.SendAsync("work")).TriggerId;

        var final = await stack.WaitForFinalAsync(id, timeoutSeconds: 90);
        Assert.True(final.Status == TriggerStatus.SUCCEEDED, $"{final.Status} {final.StatusReason}");
        Assert.Equal(1, final.Attempts);
        Assert.Equal(new[] { id + " 1" }, File.ReadAllLines(runs));
        Assert.Equal(1, faults.Failed);
    }

    [Theory]
    [MemberData(nameof(WritePoints))]
    public async Task A_trigger_whose_workflow_cannot_store_anything_for_a_while_runs_once_and_succeeds(int commitsBefore)
    {
        var (runs, stack) = await StartRecordingStackAsync();
        await using var _ = stack;
        var faults = new DiskFaults(stack.Server);

        // The trigger's own commit and the next few go through; every write after them (the workflow's, the job's) fails for a while.
        faults.FillAfter(commitsBefore);
        var id = (await stack.SendAsync("work")).TriggerId;
        await Eventually.WaitForAsync(() => faults.Failed >= 3, TimeSpan.FromSeconds(30), "writes failing");
        await Task.Delay(2000);
        faults.Free();

        var final = await stack.WaitForFinalAsync(id, timeoutSeconds: 90);
        Assert.True(final.Status == TriggerStatus.SUCCEEDED, $"{final.Status} {final.StatusReason}");
        Assert.Equal(1, final.Attempts);
        Assert.Equal(new[] { id + " 1" }, File.ReadAllLines(runs));
    }
}
