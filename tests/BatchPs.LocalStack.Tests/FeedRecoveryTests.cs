using BatchPs.LocalStack.Storage;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class FeedRecoveryTests
{
    [Fact]
    public async Task Triggers_stored_but_not_handled_before_a_stop_are_handled_at_start_and_unknown_jobs_are_REJECTED()
    {
        var folder = new TestFolder();
        using (var database = LocalDatabase.Open(Path.Combine(folder.Path, "data")))
        {
            var store = new TriggerStore(database);
            await store.InsertAsync(Record("kept", "quick"));
            await store.InsertAsync(Record("retired", "old-job"));
        }

        await using var stack = await TestStack.StartInAsync(folder, Jobs.Shell("quick", "exit 0"));

        Assert.Equal(TriggerStatus.SUCCEEDED, (await stack.WaitForFinalAsync("kept")).Status);
        var rejected = await stack.WaitForFinalAsync("retired");
        Assert.Equal(TriggerStatus.REJECTED, rejected.Status);
        Assert.Contains("'old-job' is not in the catalog", rejected.StatusReason);
    }

    private static TriggerRecord Record(string id, string job)
    {
        var now = DateTimeOffset.UtcNow;
        return new TriggerRecord
        {
            TriggerId = id, JobName = job, IdempotencyKey = "key-" + id, Status = TriggerStatus.RECEIVED,
            CreatedAt = now, UpdatedAt = now, StatusChangedAt = now, Version = 1,
        };
    }
}
