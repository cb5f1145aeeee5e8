using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Tests;

/// <summary>The one trigger item schema both stacks store: every record field is an attribute, every update field lands on one.</summary>
public sealed class TriggerItemTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 7, 12, 47, TimeSpan.Zero);

    private static TriggerRecord Received() => new()
    {
        TriggerId = "t1", JobName = "nightly-export", IdempotencyKey = "k1", Status = TriggerStatus.RECEIVED,
        Parameters = new Dictionary<string, string> { ["date"] = "2026-11-23" },
        CreatedAt = Created, UpdatedAt = Created, StatusChangedAt = Created, Version = 1,
    };

    /// <summary>A record with a value in every settable field, so a field the codec drops shows.</summary>
    private static TriggerRecord Full()
    {
        var record = Received();
        record.Client = "sql-agent";
        record.Overrides = new TriggerOverrides { SchedulingPriority = 5, ShareIdentifier = "a", ArraySize = 3, TimeoutSeconds = 60, RetryAttempts = 2 };
        record.Status = TriggerStatus.RUNNING;
        record.StatusReason = "running";
        record.StartedAt = Created.AddSeconds(3).AddTicks(1234567);
        record.StoppedAt = Created.AddSeconds(9);
        record.ExecutionId = "arn:exec";
        record.BatchJobId = "job-1";
        record.ExitCode = 3;
        record.LogLocation = "log/stream";
        record.Attempts = 2;
        record.ArrayStatusSummary = new Dictionary<string, int> { ["RUNNING"] = 1, ["SUCCEEDED"] = 2 };
        record.CancelledBy = "ops-console";
        record.CancelRequestedAt = Created.AddMinutes(3);
        record.Version = 7;
        return record;
    }

    [Fact]
    public void Every_record_field_is_an_attribute_and_reads_back_unchanged()
    {
        var record = Full();
        foreach (var property in typeof(TriggerRecord).GetProperties().Where(p => p.CanWrite))
            Assert.True(property.GetValue(record) is not null, $"The test record leaves {property.Name} empty; give it a value.");

        var item = TriggerItem.FromRecord(record);
        var back = TriggerItem.ToRecord(item);

        Assert.Equal(JsonSerializer.Serialize(record, BatchPsJson.Options), JsonSerializer.Serialize(back, BatchPsJson.Options));
        Assert.Equal("6", (string?)item[TriggerItem.StatusRank]!["N"]);
        Assert.Equal("2026-11-24T07:12:47Z", (string?)item["createdAt"]!["S"]);
        Assert.Equal("2026-11-23", (string?)item["parameters"]!["M"]!["date"]!["S"]);
        Assert.Equal("2", (string?)item["arrayStatusSummary"]!["M"]!["SUCCEEDED"]!["N"]);
        Assert.Null(item["isFinal"]); // derived, not stored
    }

    [Fact]
    public void Every_update_field_is_a_record_field_of_the_same_type_and_an_applied_update_sets_it()
    {
        var recordFields = typeof(TriggerRecord).GetProperties().ToDictionary(p => p.Name);
        var update = new TriggerUpdate("t1", TriggerStatus.RUNNING);
        var full = Full();
        foreach (var property in typeof(TriggerUpdate).GetProperties().Where(p => p.CanWrite))
        {
            Assert.True(recordFields.TryGetValue(property.Name, out var field), $"TriggerUpdate.{property.Name} has no TriggerRecord field of that name.");
            Assert.Equal(field!.PropertyType, property.PropertyType);
            property.SetValue(update, field.GetValue(full));
        }

        var applied = TriggerItem.Apply(Received(), update, Created.AddMinutes(1));

        foreach (var property in typeof(TriggerUpdate).GetProperties().Where(p => p.CanWrite))
            Assert.Equal(JsonSerializer.Serialize(property.GetValue(update)), JsonSerializer.Serialize(recordFields[property.Name].GetValue(applied)));
        Assert.Equal(TriggerStatus.RUNNING, applied.Status);
        Assert.Equal(2, applied.Version);
        Assert.Equal(Created.AddMinutes(1), applied.UpdatedAt);
        Assert.Equal(Created.AddMinutes(1), applied.StatusChangedAt);
    }

    [Fact]
    public void A_move_sets_rank_and_status_time_a_refresh_keeps_them()
    {
        var now = Created.AddMinutes(5);
        var update = new TriggerUpdate("t1", TriggerStatus.RUNNABLE) { StatusReason = "waiting" };

        var move = TriggerItem.Sets(update, now, statusMoves: true).Select(s => s.Key).ToList();
        var refresh = TriggerItem.Sets(update, now, statusMoves: false).Select(s => s.Key).ToList();

        Assert.Equal(new[] { "status", "updatedAt", "statusRank", "statusChangedAt", "statusReason" }, move);
        Assert.Equal(new[] { "status", "updatedAt", "statusReason" }, refresh);

        var runnable = TriggerItem.Apply(Received(), update, now);
        var refreshed = TriggerItem.Apply(runnable, new TriggerUpdate("t1", TriggerStatus.RUNNABLE) { StatusReason = "still waiting" }, now.AddMinutes(7));
        Assert.Equal(now, refreshed.StatusChangedAt);
        Assert.Equal(now.AddMinutes(7), refreshed.UpdatedAt);
        Assert.Equal("still waiting", refreshed.StatusReason);
    }

    [Theory]
    [InlineData("jobName", null, "Attribute 'jobName' is missing")]
    [InlineData("status", """{"S":"DANCING"}""", "Attribute 'status' is 'DANCING'")]
    [InlineData("statusRank", """{"N":"5"}""", "Attribute 'statusRank'")]
    [InlineData("exitCode", """{"S":"zero"}""", "Attribute 'exitCode'")]
    [InlineData("createdAt", """{"S":"yesterday"}""", "Attribute 'createdAt'")]
    [InlineData("parameters", """{"M":{"date":{"N":"1"}}}""", "Attribute 'parameters.date'")]
    [InlineData("attempts", """{"SS":["1"]}""", "Attribute 'attempts' has type SS")]
    public void An_item_that_is_not_a_trigger_record_is_refused_naming_the_attribute(string attribute, string? value, string message)
    {
        var item = TriggerItem.FromRecord(Received());
        if (value is null) item.Remove(attribute);
        else item[attribute] = JsonNode.Parse(value);

        var error = Assert.Throws<FormatException>(() => TriggerItem.ToRecord(item));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Every_item_carries_the_list_index_keys_newest_first_by_time_then_id()
    {
        var item = TriggerItem.FromRecord(Received());

        Assert.Equal("triggers", (string?)item[TriggerItem.ListPartition]!["S"]);
        Assert.Equal("2026-11-24T07:12:47Z|t1", (string?)item[TriggerItem.CreatedKey]!["S"]);
        Assert.Equal("t1", TriggerItem.ToRecord(item).TriggerId);
    }

    [Fact]
    public void Attributes_that_are_not_record_fields_are_ignored()
    {
        var item = TriggerItem.FromRecord(Received());
        item[TriggerItem.ExpiresAt] = TriggerItem.Number(1803539567);
        item["addedByACustomWorkflow"] = TriggerItem.StringValue("x");
        Assert.Equal("t1", TriggerItem.ToRecord(item).TriggerId);
    }

    [Fact]
    public void Times_are_ISO_8601_UTC_with_a_fraction_only_when_there_is_one()
    {
        Assert.Equal("2026-11-24T07:12:47Z", TriggerItem.FormatTime(Created));
        Assert.Equal("2026-11-24T07:12:47.25Z", TriggerItem.FormatTime(Created.AddMilliseconds(250)));
        Assert.Equal("2026-11-24T07:12:47Z", TriggerItem.FormatTime(Created.ToOffset(TimeSpan.FromHours(2))));
    }
}
