using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BatchPs.Aws;
using BatchPs.Aws.StepFunctions;
using BatchPs.Core.Catalog;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Lambda.Tests;

/// <summary>The Lambda's AWS-facing seams against loopback DynamoDB and Step Functions that check signatures and answer as AWS does.</summary>
public sealed class DynamoDbSeamsTests : IAsyncLifetime
{
    private const string Triggers = "BatchPs-Triggers";
    private const string Catalog = "BatchPs-Catalog";
    private FakeDynamoDb _dynamo = null!;
    private FakeStepFunctions _states = null!;
    private AmazonDynamoDBClient _client = null!;
    private readonly ManualClock _clock = new();

    public async Task InitializeAsync()
    {
        _dynamo = await FakeDynamoDb.StartAsync((Triggers, "triggerId"), (Catalog, "name"));
        _states = await FakeStepFunctions.StartAsync();
        _client = new AmazonDynamoDBClient(new BasicAWSCredentials(FakeDynamoDb.AccessKey, FakeDynamoDb.SecretKey),
            new AmazonDynamoDBConfig { ServiceURL = _dynamo.Endpoint.ToString(), AuthenticationRegion = FakeDynamoDb.Region, MaxErrorRetry = 0 });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _dynamo.DisposeAsync();
        await _states.DisposeAsync();
    }

    private DynamoDbTriggerStatusWriter Writer() => new(_client, Triggers, _clock);

    /// <summary>A trigger item as the API's mapping template writes it.</summary>
    private void Received(string triggerId, string jobName = "nightly-export")
    {
        _dynamo.Put(Triggers, JsonNode.Parse("""
            {"triggerId":{"S":"TRIGGER"},"jobName":{"S":"JOB"},"parameters":{"M":{"date":{"S":"2026-11-23"}}},
             "idempotencyKey":{"S":"TRIGGER"},"status":{"S":"RECEIVED"},"statusRank":{"N":"0"},"createdAt":{"S":"2026-11-24T07:12:47Z"},
             "updatedAt":{"S":"2026-11-24T07:12:47Z"},"statusChangedAt":{"S":"2026-11-24T07:12:47Z"},"version":{"N":"1"},"expiresAt":{"N":"1803539567"},
             "listPartition":{"S":"triggers"},"createdKey":{"S":"2026-11-24T07:12:47Z|TRIGGER"}}
            """.Replace("TRIGGER", triggerId).Replace("JOB", jobName))!.AsObject());
    }

    private void Register(JobCatalogEntry entry) =>
        _dynamo.Put(Catalog, new JsonObject
        {
            ["name"] = new JsonObject { ["S"] = entry.Name },
            ["entry"] = new JsonObject { ["S"] = JsonSerializer.Serialize(entry, BatchPsJson.Options) },
            ["updatedAt"] = new JsonObject { ["S"] = "2026-11-24T07:00:00Z" },
        });

    private string Attribute(string triggerId, string name, string type = "S") => _dynamo.Get(Triggers, triggerId)![name]![type]!.GetValue<string>();

    [Fact]
    public async Task Writer_moves_a_record_forward_and_never_back()
    {
        Received("t1");
        var writer = Writer();

        Assert.True(await writer.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.STARTED) { ExecutionId = "arn:exec" }, CancellationToken.None));
        Assert.False(await writer.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.RECEIVED), CancellationToken.None));
        Assert.True(await writer.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.SUCCEEDED) { ExitCode = 0, StoppedAt = _clock.Now }, CancellationToken.None));
        Assert.False(await writer.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.RUNNING) { StatusReason = "late event" }, CancellationToken.None));
        Assert.False(await writer.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.FAILED) { StatusReason = "late failure" }, CancellationToken.None));

        Assert.Equal("SUCCEEDED", Attribute("t1", "status"));
        Assert.Equal("7", Attribute("t1", "statusRank", "N"));
        Assert.Equal("3", Attribute("t1", "version", "N"));
        Assert.Equal("0", Attribute("t1", "exitCode", "N"));
        Assert.Equal("arn:exec", Attribute("t1", "executionId"));
        Assert.Null(_dynamo.Get(Triggers, "t1")!["statusReason"]);
        Assert.Empty(_dynamo.Rejections);
    }

    [Fact]
    public async Task Refreshing_RUNNABLE_updates_the_reason_but_keeps_when_it_entered_RUNNABLE()
    {
        Received("t1");
        var writer = Writer();
        _clock.Now = new DateTimeOffset(2026, 11, 24, 7, 20, 0, TimeSpan.Zero);
        await writer.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.RUNNABLE) { StatusReason = "waiting for capacity" }, CancellationToken.None);
        _clock.Now = _clock.Now.AddMinutes(7);

        Assert.True(await writer.ApplyAsync(new TriggerUpdate("t1", TriggerStatus.RUNNABLE)
        {
            StatusReason = "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
            ArrayStatusSummary = new Dictionary<string, int> { ["RUNNABLE"] = 9, ["RUNNING"] = 1 },
        }, CancellationToken.None));

        Assert.Equal("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", Attribute("t1", "statusReason"));
        Assert.Equal("2026-11-24T07:20:00Z", Attribute("t1", "statusChangedAt"));
        Assert.Equal("2026-11-24T07:27:00Z", Attribute("t1", "updatedAt"));
        Assert.Equal("9", _dynamo.Get(Triggers, "t1")!["arrayStatusSummary"]!["M"]!["RUNNABLE"]!["N"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_cloud_writer_and_the_local_store_leave_the_same_item()
    {
        Received("t1");
        var local = TriggerItem.ToRecord(_dynamo.Get(Triggers, "t1")!);
        var start = new DateTimeOffset(2026, 11, 24, 7, 13, 0, TimeSpan.Zero);
        var updates = new[]
        {
            new TriggerUpdate("t1", TriggerStatus.STARTED) { ExecutionId = "arn:exec" },
            new TriggerUpdate("t1", TriggerStatus.RUNNABLE) { StatusReason = "waiting", BatchJobId = "job-1", ArrayStatusSummary = new() { ["RUNNABLE"] = 2 } },
            new TriggerUpdate("t1", TriggerStatus.RUNNABLE) { StatusReason = "still waiting", ArrayStatusSummary = new() { ["RUNNABLE"] = 1, ["RUNNING"] = 1 } },
            new TriggerUpdate("t1", TriggerStatus.STARTED) { StatusReason = "late" },
            new TriggerUpdate("t1", TriggerStatus.FAILED) { ExitCode = 2, StartedAt = start.AddMilliseconds(1500), StoppedAt = start.AddSeconds(9), Attempts = 2, LogLocation = "log/stream" },
        };
        for (var i = 0; i < updates.Length; i++)
        {
            _clock.Now = start.AddMinutes(i);
            var cloudApplied = await Writer().ApplyAsync(updates[i], CancellationToken.None);
            var localApplies = TriggerStatusOrder.CanApply(local.Status, updates[i].Status);
            if (localApplies) local = TriggerItem.Apply(local, updates[i], _clock.Now);
            Assert.Equal(cloudApplied, localApplies);
        }

        var cloud = _dynamo.Get(Triggers, "t1")!;
        cloud.Remove(TriggerItem.ExpiresAt);
        var localItem = TriggerItem.FromRecord(local);
        Assert.True(JsonNode.DeepEquals(cloud, localItem), $"cloud {cloud.ToJsonString()}\nlocal {localItem.ToJsonString()}");
    }

    [Fact]
    public async Task Writer_does_not_create_a_record_that_does_not_exist()
    {
        Assert.False(await Writer().ApplyAsync(new TriggerUpdate("missing", TriggerStatus.RUNNING), CancellationToken.None));
        Assert.Null(_dynamo.Get(Triggers, "missing"));
    }

    [Fact]
    public async Task Catalog_reads_registered_entries_caches_them_and_refuses_broken_ones()
    {
        Register(InMemoryCatalog.NightlyExport());
        _dynamo.Put(Catalog, JsonNode.Parse("""{"name":{"S":"no-queue"},"entry":{"S":"{\"name\":\"no-queue\",\"jobDefinition\":\"d\"}"}}""")!.AsObject());
        var catalog = new DynamoDbJobCatalog(_client, Catalog, _clock);

        var entry = await catalog.FindAsync("nightly-export", CancellationToken.None);
        var requests = _dynamo.Requests;
        await catalog.FindAsync("nightly-export", CancellationToken.None);

        Assert.Equal("nightly-export:3", entry!.JobDefinition);
        Assert.Null(entry.Parameters["date"]);
        Assert.Equal(requests, _dynamo.Requests);
        Assert.Null(await catalog.FindAsync("unknown", CancellationToken.None));
        var error = await Assert.ThrowsAsync<CatalogException>(() => catalog.FindAsync("no-queue", CancellationToken.None));
        Assert.Contains("jobQueue is missing", error.Message);
    }

    private Function RealFunction(StringWriter log)
    {
        var status = Writer();
        var stepFunctions = new StepFunctionsClient(new AwsClientSettings(Amazon.RegionEndpoint.GetBySystemName(FakeStepFunctions.Region),
            new BasicAWSCredentials(FakeStepFunctions.AccessKey, FakeStepFunctions.SecretKey)) { ServiceUrl = _states.Endpoint });
        var handler = new TriggerHandler(new DynamoDbJobCatalog(_client, Catalog, _clock), new StepFunctionsWorkflowStarter(stepFunctions, FakeStepFunctions.StateMachineArn), status);
        return new Function(handler, status, log, new CancelledTriggerHandler(stepFunctions, FakeStepFunctions.StateMachineArn));
    }

    /// <summary>The stream's MODIFY of a trigger to <paramref name="status"/> (as the cancel route or a status write leaves it).</summary>
    private static JsonObject Modify(string triggerId, string sequenceNumber, string status, int rank, string? executionId = null)
    {
        var record = RecordedEvents.Insert(triggerId, sequenceNumber);
        record["eventName"] = "MODIFY";
        var image = record["dynamodb"]!["NewImage"]!.AsObject();
        image["status"] = new JsonObject { ["S"] = status };
        image["statusRank"] = new JsonObject { ["N"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        image["statusReason"] = new JsonObject { ["S"] = "Stop \"it\" é" };
        if (executionId is not null) image["executionId"] = new JsonObject { ["S"] = executionId };
        return record;
    }

    private static async Task<string[]> FailuresOf(Stream answer)
    {
        using var document = await JsonDocument.ParseAsync(answer);
        return document.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToArray();
    }

    [Fact]
    public async Task Modify_to_CANCELLED_stops_the_started_execution_with_the_reason()
    {
        Register(InMemoryCatalog.NightlyExport());
        Received("t-cancel-1");
        var function = RealFunction(new StringWriter());
        Assert.Empty(await FailuresOf(await function.HandleAsync(RecordedEvents.Batch(RecordedEvents.Insert("t-cancel-1", "100")))));
        var execution = Attribute("t-cancel-1", "executionId");

        var failures = await FailuresOf(await function.HandleAsync(RecordedEvents.Batch(Modify("t-cancel-1", "200", "CANCELLED", 7, execution))));

        Assert.Empty(failures);
        var stop = Assert.Single(_states.Stops);
        Assert.Equal(execution, stop.Arn);
        Assert.Equal(CancelledTriggerHandler.StopError, stop.Error);
        Assert.Equal("Stop \"it\" é", stop.Cause);
        Assert.Empty(_states.Rejections);
    }

    [Fact]
    public async Task Modify_to_CANCELLED_before_the_record_names_its_execution_stops_the_deterministic_one()
    {
        Register(InMemoryCatalog.NightlyExport());
        Received("t-cancel-2");
        var function = RealFunction(new StringWriter());
        await function.HandleAsync(RecordedEvents.Batch(RecordedEvents.Insert("t-cancel-2", "100")));

        Assert.Empty(await FailuresOf(await function.HandleAsync(RecordedEvents.Batch(Modify("t-cancel-2", "200", "CANCELLED", 7)))));

        Assert.Equal("arn:aws:states:eu-west-1:123456789012:execution:BatchPsTrigger:t-cancel-2", Assert.Single(_states.Stops).Arn);
    }

    [Fact]
    public async Task Modify_to_CANCELLED_of_a_trigger_never_started_succeeds_without_stopping_anything()
    {
        var function = RealFunction(new StringWriter());

        var failures = await FailuresOf(await function.HandleAsync(RecordedEvents.Batch(Modify("t-never", "300", "CANCELLED", 7))));

        Assert.Empty(failures);
        Assert.Empty(_states.Stops);
        Assert.Equal(0, _states.ExecutionCount);
        Assert.Equal(1, _states.Requests); // asked once, answered ExecutionDoesNotExist
    }

    [Fact]
    public async Task Other_modifies_stop_nothing_and_a_failed_stop_is_reported_for_retry()
    {
        Register(InMemoryCatalog.NightlyExport());
        Received("t-cancel-3");
        var function = RealFunction(new StringWriter());
        await function.HandleAsync(RecordedEvents.Batch(RecordedEvents.Insert("t-cancel-3", "100")));
        var requests = _states.Requests;

        Assert.Empty(await FailuresOf(await function.HandleAsync(RecordedEvents.Batch(Modify("t-cancel-3", "200", "RUNNING", 6), Modify("t-cancel-3", "201", "SUCCEEDED", 7)))));
        Assert.Equal(requests, _states.Requests);

        _states.FailNext(10, 400, "KmsThrottlingException");
        Assert.Equal(["300"], await FailuresOf(await function.HandleAsync(RecordedEvents.Batch(Modify("t-cancel-3", "300", "CANCELLED", 7)))));
        Assert.Empty(_states.Stops);
    }

    [Fact]
    public async Task Recorded_stream_batch_starts_the_workflow_and_records_it_end_to_end()
    {
        Register(InMemoryCatalog.NightlyExport());
        Received("5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69");
        Received("k-nightly-2026-11-23", "not-in-catalog");
        var function = RealFunction(new StringWriter());

        var first = await function.HandleAsync(RecordedEvents.AsStream(RecordedEvents.Mixed()));
        var replay = await function.HandleAsync(RecordedEvents.AsStream(RecordedEvents.Mixed()));

        foreach (var answer in new[] { first, replay })
        {
            using var document = await JsonDocument.ParseAsync(answer);
            Assert.Empty(document.RootElement.GetProperty("batchItemFailures").EnumerateArray());
        }
        Assert.Equal(1, _states.ExecutionCount);
        Assert.Equal("STARTED", Attribute("5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69", "status"));
        Assert.Equal("arn:aws:states:eu-west-1:123456789012:execution:BatchPsTrigger:5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69", Attribute("5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69", "executionId"));
        Assert.Equal("REJECTED", Attribute("k-nightly-2026-11-23", "status"));
        Assert.Contains("not-in-catalog", Attribute("k-nightly-2026-11-23", "statusReason"));
        Assert.Empty(_dynamo.Rejections);
        Assert.Empty(_states.Rejections);

        await function.HandleAsync(RecordedEvents.AsStream(JsonNode.Parse(RecordedEvents.Read("batch-job-runnable.json"))!));
        Assert.Equal("RUNNABLE", Attribute("5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69", "status"));
        Assert.Equal("4c7599ae-0a82-49aa-ba5a-4727fcce14a8", Attribute("5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69", "batchJobId"));
    }

    [Fact]
    public async Task Stored_item_reads_back_as_the_record_the_API_returns()
    {
        Received("t1");
        await Writer().ApplyAsync(new TriggerUpdate("t1", TriggerStatus.FAILED) { ExitCode = 2, LogLocation = "log/stream", StatusReason = "Essential container in task exited" }, CancellationToken.None);
        using var image = JsonDocument.Parse(_dynamo.Get(Triggers, "t1")!.ToJsonString());

        var record = TriggerItem.ToRecord(image.RootElement);

        Assert.Equal(TriggerStatus.FAILED, record.Status);
        Assert.Equal(2, record.ExitCode);
        Assert.Equal("2026-11-23", record.Parameters["date"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 12, 47, TimeSpan.Zero), record.CreatedAt);
        Assert.Equal(_clock.Now, record.StatusChangedAt);
        Assert.Equal(2, record.Version);
    }
}
