using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda.Tests;

public sealed class FunctionTests
{
    private readonly InMemoryWorkflows _workflows = new();
    private readonly InMemoryStatus _status = new();
    private readonly StringWriter _log = new();

    private Function Create() =>
        new(new TriggerHandler(new InMemoryCatalog(InMemoryCatalog.NightlyExport()), _workflows, _status), _status, _log);

    private static async Task<string[]> FailuresOf(Stream response)
    {
        using var document = await JsonDocument.ParseAsync(response);
        return document.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToArray();
    }

    [Fact]
    public async Task Mixed_batch_starts_inserts_rejects_unknown_jobs_and_skips_modify_and_remove()
    {
        var response = await Create().HandleAsync(RecordedEvents.AsStream(RecordedEvents.Mixed()));

        Assert.Empty(await FailuresOf(response));
        var input = JsonNode.Parse(Assert.Single(_workflows.Executions).Value)!;
        Assert.Equal("5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69", input["triggerId"]!.GetValue<string>());
        Assert.Equal("nightly-export:3", input["submitJob"]!["JobDefinition"]!.GetValue<string>());
        Assert.Equal("2026-11-23", input["submitJob"]!["Parameters"]!["date"]!.GetValue<string>());
        Assert.Equal(TriggerStatus.STARTED, _status.Status["5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69"]);
        Assert.Equal(TriggerStatus.REJECTED, _status.Status["k-nightly-2026-11-23"]);
        Assert.Contains("not-in-catalog", _status.Applied.Single(u => u.Status == TriggerStatus.REJECTED).StatusReason);
        Assert.False(_status.Status.ContainsKey("0b1d5c9e-7a41-4f0e-8d2b-6c3e9f1a2b47")); // MODIFY: nothing to do
        Assert.False(_status.Status.ContainsKey("old-trigger-1")); // REMOVE (TTL): nothing to do
    }

    [Fact]
    public async Task Batch_of_100_inserts_starts_100_executions()
    {
        var records = Enumerable.Range(1, 100).Select(i => (JsonNode)RecordedEvents.Insert($"trigger-{i:000}", $"2{i:00000000000000000000}")).ToArray();

        var response = await Create().HandleAsync(RecordedEvents.Batch(records));

        Assert.Empty(await FailuresOf(response));
        Assert.Equal(100, _workflows.Executions.Count);
        Assert.Equal(100, _status.Status.Values.Count(s => s == TriggerStatus.STARTED));
    }

    [Fact]
    public async Task Malformed_record_is_one_batch_item_failure_and_the_rest_are_processed()
    {
        var broken = RecordedEvents.Insert("broken", "300000000000000000002");
        broken["dynamodb"]!["NewImage"]!.AsObject().Remove("jobName");

        var response = await Create().HandleAsync(RecordedEvents.Batch(
            RecordedEvents.Insert("first", "300000000000000000001"), broken, RecordedEvents.Insert("third", "300000000000000000003")));

        Assert.Equal(new[] { "300000000000000000002" }, await FailuresOf(response));
        Assert.Equal(new[] { "first", "third" }, _workflows.Executions.Keys.Order());
        Assert.Contains("Attribute 'jobName' is missing", _log.ToString());
    }

    [Fact]
    public async Task Transient_failure_of_one_record_is_reported_for_retry()
    {
        _workflows.FailFor = name => name == "second" ? new HttpRequestException("connection reset") : null;

        var response = await Create().HandleAsync(RecordedEvents.Batch(
            RecordedEvents.Insert("first", "400000000000000000001"), RecordedEvents.Insert("second", "400000000000000000002")));

        Assert.Equal(new[] { "400000000000000000002" }, await FailuresOf(response));
        Assert.Equal(TriggerStatus.STARTED, _status.Status["first"]);
        Assert.False(_status.Status.ContainsKey("second"));
    }

    [Fact]
    public async Task Repeated_record_starts_no_second_execution()
    {
        var function = Create();
        var insert = RecordedEvents.Insert("replayed", "500000000000000000001");

        await function.HandleAsync(RecordedEvents.Batch(insert));
        var replay = await function.HandleAsync(RecordedEvents.Batch(insert, insert));

        Assert.Empty(await FailuresOf(replay));
        Assert.Single(_workflows.Executions);
        Assert.Equal(TriggerStatus.STARTED, _status.Status["replayed"]);
        Assert.Single(_status.Applied.Where(u => u.TriggerId == "replayed").Select(u => u.ExecutionId).Distinct());
        Assert.Contains("AlreadyStarted", _log.ToString());
    }

    [Fact]
    public async Task Batch_RUNNABLE_event_writes_reason_and_array_counts_to_the_tagged_trigger()
    {
        var response = await Create().HandleAsync(RecordedEvents.AsStream(JsonNode.Parse(RecordedEvents.Read("batch-job-runnable.json"))!));

        using var answer = await JsonDocument.ParseAsync(response);
        Assert.True(answer.RootElement.GetProperty("applied").GetBoolean());
        var update = Assert.Single(_status.Applied);
        Assert.Equal("5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69", update.TriggerId);
        Assert.Equal(TriggerStatus.RUNNABLE, update.Status);
        Assert.StartsWith("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", update.StatusReason);
        Assert.Equal("4c7599ae-0a82-49aa-ba5a-4727fcce14a8", update.BatchJobId);
        Assert.Equal(7, update.ArrayStatusSummary!["RUNNABLE"]);
        Assert.Null(update.ExitCode);
    }

    [Fact]
    public async Task Late_Batch_event_never_moves_a_record_back()
    {
        _status.Status["5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69"] = TriggerStatus.RUNNING;

        var response = await Create().HandleAsync(RecordedEvents.AsStream(JsonNode.Parse(RecordedEvents.Read("batch-job-runnable.json"))!));

        using var answer = await JsonDocument.ParseAsync(response);
        Assert.False(answer.RootElement.GetProperty("applied").GetBoolean());
        Assert.Equal(TriggerStatus.RUNNING, _status.Status["5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69"]);
    }

    [Fact]
    public async Task Batch_event_of_a_job_without_the_trigger_tag_is_ignored()
    {
        var batchEvent = JsonNode.Parse(RecordedEvents.Read("batch-job-runnable.json"))!;
        batchEvent["detail"]!.AsObject().Remove("tags");

        await Create().HandleAsync(RecordedEvents.AsStream(batchEvent));

        Assert.Empty(_status.Applied);
    }

    [Fact]
    public async Task Unknown_event_shape_throws_with_what_was_expected()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Create().HandleAsync(RecordedEvents.AsStream(new JsonObject { ["hello"] = 1 })));
        Assert.Contains("DynamoDB stream batch", error.Message);
    }
}
