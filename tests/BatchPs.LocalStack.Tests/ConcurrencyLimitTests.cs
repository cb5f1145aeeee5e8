using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class ConcurrencyLimitTests
{
    [Fact]
    public async Task No_more_jobs_run_at_once_than_the_concurrency_limit_and_waiting_ones_are_RUNNABLE()
    {
        using var work = new TestFolder();
        var events = work.File("events.txt");
        await using var stack = await TestStack.StartAsync(Jobs.Shell("busy", "echo + >> \"$1\"; sleep 0.4; echo - >> \"$1\"", "\"Ref::file\"",
            $$"""{"file": {{System.Text.Json.JsonSerializer.Serialize(events)}}}"""), concurrency: 2);

        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add((await stack.SendAsync("busy")).TriggerId);
        var sawRunnable = false;
        var finals = await Eventually.WaitForAsync(async () =>
        {
            var records = await Task.WhenAll(ids.Select(stack.GetAsync));
            sawRunnable |= records.Any(r => r.Status == TriggerStatus.RUNNABLE && r.StatusReason!.Contains("slots"));
            return records;
        }, records => records.All(r => r.IsFinal), TimeSpan.FromSeconds(60), "all triggers final");
        Assert.All(finals, r => Assert.Equal(TriggerStatus.SUCCEEDED, r.Status));

        var running = 0;
        var most = 0;
        foreach (var line in File.ReadAllLines(events))
        {
            running += line == "+" ? 1 : -1;
            most = Math.Max(most, running);
        }
        Assert.Equal(2, most);
        Assert.True(sawRunnable, "a waiting job should show RUNNABLE with the reason");
    }
}
