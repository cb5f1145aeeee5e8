using System.Text.Json.Nodes;
using BatchPs.LocalStack.Storage;
using BatchPs.StateMachine.Errors;
using BatchPs.Core.Triggers;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Tests;

/// <summary>The triggers table seen as the DynamoDB table the definition reads and writes (TriggerStore's item view).</summary>
public sealed class TriggerStoreItemViewTests : IAsyncLifetime
{
    private static readonly JsonObject Key = new() { ["triggerId"] = new JsonObject { ["S"] = "t1" } };
    private readonly TestFolder _folder = new();
    private LocalDatabase _database = null!;
    private TriggerStore _items = null!;

    public async Task InitializeAsync()
    {
        _database = LocalDatabase.Open(_folder.Path);
        _items = new TriggerStore(_database);
        var now = DateTimeOffset.UtcNow;
        await new TriggerStore(_database).InsertAsync(new TriggerRecord
        {
            TriggerId = "t1", JobName = "hello", IdempotencyKey = "k1", Status = TriggerStatus.STARTED, CreatedAt = now, UpdatedAt = now,
            StatusChangedAt = now, Version = 2, Parameters = new Dictionary<string, string> { ["name"] = "Ada" },
        });
    }

    public Task DisposeAsync()
    {
        _items.Dispose();
        _database.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_item_has_the_record_fields_as_attributes_with_statusRank()
    {
        var item = (await _items.GetItemAsync(TriggerStore.TableName, Key, default))!;
        Assert.Equal("t1", (string?)item["triggerId"]!["S"]);
        Assert.Equal("STARTED", (string?)item["status"]!["S"]);
        Assert.Equal("1", (string?)item["statusRank"]!["N"]);
        Assert.Equal("2", (string?)item["version"]!["N"]);
        Assert.Equal("Ada", (string?)item["parameters"]!["M"]!["name"]!["S"]);
    }

    [Fact]
    public async Task A_replace_is_compare_and_swap_and_keeps_the_indexed_columns_in_sync()
    {
        var before = (await _items.GetItemAsync(TriggerStore.TableName, Key, default))!;
        var after = (JsonObject)before.DeepClone();
        after["status"] = new JsonObject { ["S"] = "SUBMITTED" };
        after["statusRank"] = new JsonObject { ["N"] = "2" };
        after["version"] = new JsonObject { ["N"] = "3" };
        after["exitCode"] = new JsonObject { ["N"] = "0" };

        Assert.True(await _items.TryReplaceItemAsync(TriggerStore.TableName, Key, before, after, "e/Record/1/0", new JsonObject(), default));
        Assert.False(await _items.TryReplaceItemAsync(TriggerStore.TableName, Key, before, after, "e/Record/2/0", new JsonObject(), default)); // stale expectation

        var record = new TriggerStore(_database).Find("t1")!;
        Assert.Equal(TriggerStatus.SUBMITTED, record.Status);
        Assert.Equal(3, record.Version);
        Assert.Equal(0, record.ExitCode);
        using var connection = _database.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, status_rank, version FROM triggers WHERE trigger_id = 't1'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("SUBMITTED", 2L, 3L), (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public async Task A_status_write_through_the_record_view_makes_an_item_read_before_it_stale()
    {
        var before = (await _items.GetItemAsync(TriggerStore.TableName, Key, default))!;
        var after = (JsonObject)before.DeepClone();
        after["statusReason"] = new JsonObject { ["S"] = "from the workflow" };

        Assert.True(await _items.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.RUNNING) { StatusReason = "from Batch" }, default));
        Assert.False(await _items.TryReplaceItemAsync(TriggerStore.TableName, Key, before, after, "e/Record/1/0", new JsonObject(), default));

        var record = _items.Find("t1")!;
        Assert.Equal(TriggerStatus.RUNNING, record.Status);
        Assert.Equal("from Batch", record.StatusReason);
        Assert.Equal(3, record.Version);
    }

    [Fact]
    public async Task A_replace_records_its_invocation_and_response_in_the_same_write()
    {
        var before = (await _items.GetItemAsync(TriggerStore.TableName, Key, default))!;
        var after = (JsonObject)before.DeepClone();
        after["status"] = new JsonObject { ["S"] = "SUBMITTED" };
        after["statusRank"] = new JsonObject { ["N"] = "2" };
        var response = new JsonObject { ["Attributes"] = new JsonObject { ["status"] = new JsonObject { ["S"] = "SUBMITTED" } } };

        Assert.Null(await _items.GetAppliedResponseAsync("e/Record SUBMITTED/1/0", default));
        Assert.True(await _items.TryReplaceItemAsync(TriggerStore.TableName, Key, before, after, "e/Record SUBMITTED/1/0", response, default));
        Assert.True(JsonNode.DeepEquals(response, await _items.GetAppliedResponseAsync("e/Record SUBMITTED/1/0", default)));
        Assert.False(await _items.TryReplaceItemAsync(TriggerStore.TableName, Key, before, after, "e/Other/1/0", response, default));
        Assert.Null(await _items.GetAppliedResponseAsync("e/Other/1/0", default)); // a refused replace records nothing
    }

    [Fact]
    public async Task An_item_that_is_not_a_trigger_record_is_refused_as_a_validation_error()
    {
        var before = (await _items.GetItemAsync(TriggerStore.TableName, Key, default))!;
        var after = (JsonObject)before.DeepClone();
        after["status"] = new JsonObject { ["S"] = "DANCING" };
        var error = await Assert.ThrowsAsync<StatesErrorException>(() => _items.TryReplaceItemAsync(TriggerStore.TableName, Key, before, after, "e/Record/1/0", new JsonObject(), default));
        Assert.Equal("DynamoDB.AmazonDynamoDBException", error.Error);
        Assert.Contains("ValidationException", error.Cause);
    }

    [Fact]
    public async Task Another_table_is_ResourceNotFound()
    {
        var error = await Assert.ThrowsAsync<StatesErrorException>(() => _items.GetItemAsync("Other", Key, default));
        Assert.Equal("DynamoDB.ResourceNotFoundException", error.Error);
    }
}
