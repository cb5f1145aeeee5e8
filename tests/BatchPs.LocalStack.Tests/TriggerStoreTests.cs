using BatchPs.LocalStack.Storage;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class TriggerStoreTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly LocalDatabase _database;
    private readonly TriggerStore _store;

    public TriggerStoreTests()
    {
        _database = LocalDatabase.Open(_folder.Path);
        _store = new TriggerStore(_database);
    }

    public void Dispose()
    {
        _database.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Status_writes_move_forward_only_and_bump_the_version()
    {
        var record = await Insert("t1");

        Assert.True(await Apply(new TriggerUpdate("t1", TriggerStatus.RUNNING) { StatusReason = "running" }));
        Assert.False(await Apply(new TriggerUpdate("t1", TriggerStatus.SUBMITTED) { BatchJobId = "late" }));
        var running = _store.Find("t1")!;
        Assert.Equal(TriggerStatus.RUNNING, running.Status);
        Assert.Null(running.BatchJobId);
        Assert.Equal(record.Version + 1, running.Version);

        Assert.True(await Apply(new TriggerUpdate("t1", TriggerStatus.RUNNING) { StatusReason = "still running" }));
        Assert.True(await Apply(new TriggerUpdate("t1", TriggerStatus.FAILED) { ExitCode = 2 }));
        Assert.False(await Apply(new TriggerUpdate("t1", TriggerStatus.SUCCEEDED) { ExitCode = 0 }));
        Assert.False(await Apply(new TriggerUpdate("t1", TriggerStatus.FAILED) { ExitCode = 9 }));

        var final = _store.Find("t1")!;
        Assert.Equal(TriggerStatus.FAILED, final.Status);
        Assert.Equal(2, final.ExitCode);
        Assert.Equal("still running", final.StatusReason);
        Assert.Equal(record.Version + 3, final.Version);
    }

    [Fact]
    public async Task Concurrent_writes_to_one_trigger_each_apply_once()
    {
        var record = await Insert("t1");
        Assert.True(await Apply(new TriggerUpdate("t1", TriggerStatus.RUNNING)));

        var applied = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Apply(new TriggerUpdate("t1", TriggerStatus.RUNNING) { StatusReason = "refresh " + i }))));

        Assert.All(applied, Assert.True);
        Assert.Equal(record.Version + 41, _store.Find("t1")!.Version);
    }

    [Fact]
    public async Task A_write_to_an_unknown_trigger_changes_nothing() =>
        Assert.False(await Apply(new TriggerUpdate("missing", TriggerStatus.STARTED)));

    [Fact]
    public async Task Concurrent_writes_are_group_committed_and_all_durable()
    {
        var inserts = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Insert("c" + i)));
        Assert.Equal(200, inserts.Select(r => r.TriggerId).Distinct().Count());
        var feed = _store.ReadFeed(0, 1000);
        Assert.Equal(200, feed.Count);
        Assert.True(feed.Zip(feed.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
    }

    [Fact]
    public async Task The_feed_checkpoint_only_moves_forward()
    {
        await _store.SaveCheckpointAsync("c", 10);
        await _store.SaveCheckpointAsync("c", 4);
        Assert.Equal(10, _store.ReadCheckpoint("c"));
    }

    private Task<bool> Apply(TriggerUpdate update) => _store.ApplyAsync(update, CancellationToken.None);

    private async Task<TriggerRecord> Insert(string id)
    {
        var now = DateTimeOffset.UtcNow;
        var result = await _store.InsertAsync(new TriggerRecord
        {
            TriggerId = id, JobName = "job", IdempotencyKey = "key-" + id, Status = TriggerStatus.RECEIVED,
            CreatedAt = now, UpdatedAt = now, StatusChangedAt = now, Version = 1,
        });
        Assert.False(result.Replayed);
        return result.Record;
    }
}
