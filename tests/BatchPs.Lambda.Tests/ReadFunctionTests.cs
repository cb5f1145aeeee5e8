using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BatchPs.Aws;
using BatchPs.Aws.Batch;
using BatchPs.Aws.CloudWatchLogs;
using BatchPs.Aws.StepFunctions;
using BatchPs.Core.Triggers;
using BatchPs.TestSupport.Aws;
using BatchPs.TestSupport.Contract;

namespace BatchPs.Lambda.Tests;

/// <summary>
/// The read function behind API Gateway's proxy integration, against loopback DynamoDB (with the list indexes), CloudWatch
/// Logs, Batch and Step Functions fakes that check signatures and answer as the API references describe.
/// </summary>
public sealed class ReadFunctionTests : IAsyncLifetime
{
    private const string Triggers = "BatchPs-Triggers";
    private const string Catalog = "BatchPs-Catalog";
    private const string LogGroup = "/aws/batch/job";
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);
    private FakeDynamoDb _dynamo = null!;
    private FakeCloudWatchLogs _logs = null!;
    private FakeStepFunctions _states = null!;
    private FakeBatch _batch = null!;
    private AmazonDynamoDBClient _client = null!;
    private CloudWatchLogsClient _logsClient = null!;
    private StepFunctionsClient _statesClient = null!;
    private BatchClient _batchClient = null!;
    private readonly StringWriter _log = new();

    public async Task InitializeAsync()
    {
        _dynamo = await FakeDynamoDb.StartAsync((Triggers, TriggerItem.TriggerId), (Catalog, "name"));
        _dynamo.Tables[Triggers].Indexes[TriggerItem.JobIndex] = ("jobName", TriggerItem.CreatedKey);
        _dynamo.Tables[Triggers].Indexes[TriggerItem.AllIndex] = (TriggerItem.ListPartition, TriggerItem.CreatedKey);
        _logs = await FakeCloudWatchLogs.StartAsync();
        _states = await FakeStepFunctions.StartAsync();
        _batch = await FakeBatch.StartAsync();
        _client = new AmazonDynamoDBClient(new BasicAWSCredentials(FakeDynamoDb.AccessKey, FakeDynamoDb.SecretKey),
            new AmazonDynamoDBConfig { ServiceURL = _dynamo.Endpoint.ToString(), AuthenticationRegion = FakeDynamoDb.Region, MaxErrorRetry = 0 });
        var credentials = new BasicAWSCredentials(FakeCloudWatchLogs.AccessKey, FakeCloudWatchLogs.SecretKey);
        _logsClient = new CloudWatchLogsClient(new AwsClientSettings(RegionEndpoint.EUWest1, credentials) { ServiceUrl = _logs.Endpoint, MaxAttempts = 1 });
        _statesClient = new StepFunctionsClient(new AwsClientSettings(RegionEndpoint.EUWest1, credentials) { ServiceUrl = _states.Endpoint, MaxAttempts = 1 });
        _batchClient = new BatchClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials(FakeBatch.AccessKey, FakeBatch.SecretKey)) { ServiceUrl = _batch.Endpoint, MaxAttempts = 1 });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _logsClient.Dispose();
        _statesClient.Dispose();
        _batchClient.Dispose();
        await _dynamo.DisposeAsync();
        await _logs.DisposeAsync();
        await _states.DisposeAsync();
        await _batch.DisposeAsync();
    }

    private ReadFunction Function() => new(new DynamoDbTriggerReader(_client, Triggers), new CloudWatchTriggerLogReader(_logsClient, _batchClient, LogGroup),
        new StepFunctionsTriggerHistoryReader(_statesClient, FakeStepFunctions.StateMachineArn), new DynamoDbJobListReader(_client, Catalog, _log), _log);

    private void Store(TriggerRecord record) => _dynamo.Put(Triggers, TriggerItem.FromRecord(record));

    private static TriggerRecord Record(string id, string job = "nightly-export", TriggerStatus status = TriggerStatus.SUCCEEDED, int second = 0, string? client = null) => new()
    {
        TriggerId = id, JobName = job, IdempotencyKey = id, Status = status, Client = client,
        Parameters = new Dictionary<string, string>(),
        CreatedAt = T0.AddSeconds(second), UpdatedAt = T0.AddSeconds(second), StatusChangedAt = T0.AddSeconds(second), Version = 1,
    };

    /// <summary>A GET proxy event (the recorded sample, resource and query replaced); the answer as (status, body).</summary>
    private async Task<(int Status, JsonObject Body)> GetAsync(string resource, string? id, params (string Name, string Value)[] query)
    {
        var request = JsonNode.Parse(RecordedEvents.Read("apigateway-proxy-get.json"))!.AsObject();
        request["resource"] = resource;
        request["pathParameters"] = id is null ? null : new JsonObject { ["id"] = id };
        var multi = new JsonObject();
        foreach (var group in query.GroupBy(q => q.Name)) multi[group.Key] = new JsonArray(group.Select(q => (JsonNode)q.Value).ToArray());
        request["multiValueQueryStringParameters"] = query.Length == 0 ? null : multi;
        request["queryStringParameters"] = query.Length == 0 ? null : new JsonObject(query.GroupBy(q => q.Name).Select(g => new KeyValuePair<string, JsonNode?>(g.Key, g.Last().Value)));
        var answer = await Function().HandleAsync(RecordedEvents.AsStream(request));
        var proxy = JsonNode.Parse(answer)!.AsObject();
        Assert.Equal("application/json; charset=utf-8", proxy["headers"]!["Content-Type"]!.GetValue<string>());
        return (proxy["statusCode"]!.GetValue<int>(), JsonNode.Parse(proxy["body"]!.GetValue<string>())!.AsObject());
    }

    // ---------------------------------------------------------------- the shared contract

    public static IEnumerable<object[]> ContractCases => ReadRouteCase.All();

    /// <summary>The cases the local stack answers over HTTP (its ReadRouteContractTests), as API Gateway hands them to the function.</summary>
    [Theory]
    [MemberData(nameof(ContractCases))]
    public async Task The_read_function_answers_the_read_route_contract(string name)
    {
        var contract = ReadRouteCase.Named(name);
        Store(Record("t-contract"));
        var path = contract.PathFor("t-contract");
        var split = path.Split('?', 2);
        var segments = split[0].Trim('/').Split('/');
        var (resource, id) = segments.Length == 3 ? ($"/triggers/{{id}}/{segments[2]}", Uri.UnescapeDataString(segments[1])) : (split[0], (string?)null);
        var query = split.Length == 1 ? Array.Empty<(string, string)>()
            : split[1].Split('&').Select(p => p.Split('=', 2)).Select(p => (Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p[1]))).ToArray();
        var (status, body) = await GetAsync(resource, id, query);
        contract.Check(status, body.ToJsonString());
    }

    // ---------------------------------------------------------------- GET /triggers

    [Fact]
    public async Task List_pages_one_job_newest_first_through_filters_until_the_last_page()
    {
        // 40 triggers over two jobs, two per second (ties by id), statuses cycling: the filter drops most of each Query's read.
        var statuses = new[] { TriggerStatus.SUCCEEDED, TriggerStatus.FAILED, TriggerStatus.RUNNING, TriggerStatus.CANCELLED };
        var all = Enumerable.Range(0, 40).Select(i => Record($"t{i:D2}", i % 3 == 0 ? "other-job" : "nightly-export", statuses[i % 4], second: i / 2)).ToList();
        all.ForEach(Store);
        var expected = all.Where(r => r.JobName == "nightly-export" && r.Status is TriggerStatus.FAILED or TriggerStatus.CANCELLED)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.TriggerId, StringComparer.Ordinal).Select(r => r.TriggerId).ToList();

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var query = new List<(string, string)> { ("jobName", "nightly-export"), ("status", "FAILED,CANCELLED"), ("limit", "3") };
            if (token is not null) query.Add(("nextToken", token));
            var (status, body) = await GetAsync("/triggers", null, query.ToArray());
            Assert.True(status == 200, body.ToJsonString() + _log);
            var triggers = body["triggers"]!.AsArray();
            Assert.True(triggers.Count <= 3);
            seen.AddRange(triggers.Select(t => t!["triggerId"]!.GetValue<string>()));
            Assert.All(triggers, t => Assert.Equal("nightly-export", t!["jobName"]!.GetValue<string>()));
            token = (string?)body["nextToken"];
            pages++;
        } while (token is not null && pages < 50);

        Assert.Equal(expected, seen);
        Assert.True(pages >= 4, $"{pages} pages");
        Assert.Empty(_dynamo.Rejections);
    }

    [Fact]
    public async Task List_of_every_job_keeps_since_inclusive_and_until_exclusive_and_the_client_filter()
    {
        for (var i = 0; i < 10; i++) Store(Record($"t{i}", i % 2 == 0 ? "a" : "b", second: i, client: i % 3 == 0 ? "sql-agent" : null));

        var (status, body) = await GetAsync("/triggers", null, ("since", T0.AddSeconds(2).ToString("o")), ("until", T0.AddSeconds(7).ToString("o")));
        var (_, byClient) = await GetAsync("/triggers", null, ("client", "sql-agent"));
        var (_, fraction) = await GetAsync("/triggers", null, ("since", "2026-11-24T07:00:02.5Z"), ("until", "2026-11-24T09:00:04.5+02:00"));

        Assert.Equal(200, status);
        Assert.Equal(new[] { "t6", "t5", "t4", "t3", "t2" }, body["triggers"]!.AsArray().Select(t => t!["triggerId"]!.GetValue<string>()));
        Assert.Null(body["nextToken"]);
        Assert.Equal(new[] { "t9", "t6", "t3", "t0" }, byClient["triggers"]!.AsArray().Select(t => t!["triggerId"]!.GetValue<string>()));
        Assert.Equal(new[] { "t4", "t3" }, fraction["triggers"]!.AsArray().Select(t => t!["triggerId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_refuses_a_token_of_other_filters_garbage_and_an_unknown_status()
    {
        for (var i = 0; i < 5; i++) Store(Record($"t{i}", second: i));
        var (_, first) = await GetAsync("/triggers", null, ("limit", "2"));
        var token = first["nextToken"]!.GetValue<string>();

        var (otherStatus, other) = await GetAsync("/triggers", null, ("limit", "2"), ("jobName", "other-job"), ("nextToken", token));
        var (garbageStatus, garbage) = await GetAsync("/triggers", null, ("nextToken", "not-a-token"));
        var (unknownStatus, unknown) = await GetAsync("/triggers", null, ("status", "FAILED,DANCING"));
        var (twiceStatus, twice) = await GetAsync("/triggers", null, ("status", "FAILED"), ("status", "RUNNING"));

        Assert.Equal((400, "InvalidRequest", "nextToken"), (otherStatus, other["code"]!.GetValue<string>(), other["field"]!.GetValue<string>()));
        Assert.Equal((400, "nextToken"), (garbageStatus, garbage["field"]!.GetValue<string>()));
        Assert.Equal(400, unknownStatus);
        Assert.Contains("'DANCING'", unknown["message"]!.GetValue<string>());
        Assert.Equal(400, twiceStatus);
        Assert.Contains("given twice", twice["message"]!.GetValue<string>());
        Assert.Equal(0, _dynamo.Requests - 1); // only the first page read the table: every refusal came before a read
    }

    // ---------------------------------------------------------------- GET /triggers/{id}/log

    private TriggerRecord Running(string id = "k-nightly-1", TriggerStatus status = TriggerStatus.RUNNING, int? attempts = null)
    {
        var record = Record(id, status: status);
        record.BatchJobId = "4c7599ae-0a82-49aa-ba5a-4727fcce14a8";
        record.LogLocation = "nightly-export/default/4c7599ae0a8249aaba5a4727fcce14a8";
        record.Attempts = attempts;
        Store(record);
        return record;
    }

    private void Lines(string stream, int from, int to) =>
        _logs.Append(LogGroup, stream, Enumerable.Range(from, to - from + 1).Select(i => (T0.AddSeconds(i), $"line {i}")).ToArray());

    [Fact]
    public async Task Log_pages_forward_and_a_follower_keeps_its_token_while_the_job_runs()
    {
        var record = Running();
        Lines(record.LogLocation!, 1, 5);
        var lines = new List<string>();
        string? token = null;
        for (var i = 0; i < 4; i++)
        {
            var query = new List<(string, string)> { ("limit", "2") };
            if (token is not null) query.Add(("nextToken", token));
            var (status, body) = await GetAsync("/triggers/{id}/log", record.TriggerId, query.ToArray());
            Assert.Equal(200, status);
            Assert.Equal((1, 1, record.LogLocation), (body["attempt"]!.GetValue<int>(), body["attempts"]!.GetValue<int>(), (string?)body["logLocation"]));
            lines.AddRange(body["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));
            token = body["nextToken"]!.GetValue<string>(); // running: never null
        }
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"line {i}"), lines);

        Lines(record.LogLocation!, 6, 6);
        var (_, grown) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("nextToken", token!));
        var line = Assert.Single(grown["events"]!.AsArray());
        Assert.Equal("line 6", line!["message"]!.GetValue<string>());
        Assert.Equal(T0.AddSeconds(6), line["timestamp"]!.GetValue<DateTimeOffset>());
        Assert.Empty(_logs.Rejections);
    }

    [Fact]
    public async Task Log_of_an_ended_job_ends_with_a_null_token_and_from_tail_gives_the_last_lines()
    {
        var record = Running(status: TriggerStatus.SUCCEEDED, attempts: 1);
        Lines(record.LogLocation!, 1, 3);

        var (_, first) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("limit", "10"));
        var (_, end) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("nextToken", first["nextToken"]!.GetValue<string>()));
        var (_, tail) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("limit", "2"), ("fromTail", "true"));

        Assert.Equal(3, first["events"]!.AsArray().Count);
        Assert.Empty(end["events"]!.AsArray());
        Assert.Null(end["nextToken"]);
        Assert.Equal(new[] { "line 2", "line 3" }, tail["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));
        Assert.Null(tail["nextToken"]);
        Assert.False(_logs.Calls.Last()["startFromHead"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Log_before_the_job_has_one_is_empty_and_an_attempt_out_of_range_is_refused()
    {
        Store(Record("waiting", status: TriggerStatus.RUNNABLE));
        var record = Running(attempts: 1); // the second attempt runs

        var (waitingStatus, waiting) = await GetAsync("/triggers/{id}/log", "waiting");
        var (laterStatus, later) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("attempt", "3"));
        var (noStreamStatus, noStream) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("attempt", "2"));

        Assert.Equal(200, waitingStatus);
        Assert.Empty(waiting["events"]!.AsArray());
        Assert.Null(waiting["nextToken"]);
        Assert.Equal(0, waiting["attempts"]!.GetValue<int>());
        Assert.Equal(400, laterStatus);
        Assert.Equal($"'attempt' is 3; trigger {record.TriggerId}'s job has attempts 1..2.", later["message"]!.GetValue<string>());
        Assert.Equal(200, noStreamStatus); // the stream does not exist until the container writes
        Assert.Empty(noStream["events"]!.AsArray());
        Assert.Empty(_batch.Calls); // the latest attempt's stream is the record's
    }

    [Fact]
    public async Task Log_of_an_earlier_attempt_reads_its_stream_found_by_one_DescribeJobs_call_and_pages_on_in_it()
    {
        var record = Running(attempts: 1); // attempt 1 failed; attempt 2 runs
        _batch.AddJob(record.BatchJobId!, "RUNNING", new[] { "nightly-export/default/first" }, record.LogLocation);
        Lines("nightly-export/default/first", 1, 3);
        Lines(record.LogLocation!, 10, 10);

        var (status, first) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("attempt", "1"), ("limit", "2"));
        var (_, rest) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("nextToken", first["nextToken"]!.GetValue<string>()));
        var (_, end) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("nextToken", rest["nextToken"]!.GetValue<string>()));

        Assert.Equal(200, status);
        Assert.Equal((1, 2, "nightly-export/default/first"), (first["attempt"]!.GetValue<int>(), first["attempts"]!.GetValue<int>(), (string?)first["logLocation"]));
        Assert.Equal(new[] { "line 1", "line 2", "line 3" }, first["events"]!.AsArray().Concat(rest["events"]!.AsArray()).Select(e => e!["message"]!.GetValue<string>()));
        Assert.Equal(1, rest["attempt"]!.GetValue<int>()); // the token keeps the attempt
        Assert.Null(end["nextToken"]); // an earlier attempt has ended: its log does not grow
        Assert.Equal(3, _batch.Calls.Count); // one DescribeJobs per page
        Assert.All(_batch.Calls, call => Assert.Equal(new[] { record.BatchJobId! }, call));
        Assert.Empty(_batch.Rejections);
    }

    [Fact]
    public async Task Log_of_an_attempt_batch_no_longer_describes_is_refused_saying_the_latest_is_still_readable()
    {
        var record = Running(status: TriggerStatus.FAILED, attempts: 2);

        var (status, gone) = await GetAsync("/triggers/{id}/log", record.TriggerId, ("attempt", "1"));

        Assert.Equal(400, status);
        Assert.Contains("AWS Batch no longer describes", gone["message"]!.GetValue<string>());
        Assert.Contains("The latest attempt's log is still readable: leave 'attempt' out.", gone["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Log_of_a_child_of_an_array_batch_no_longer_describes_is_refused_naming_the_log_group()
    {
        var parent = Running(id: "old-array", status: TriggerStatus.SUCCEEDED, attempts: 1);
        parent.LogLocation = null;
        parent.Overrides = new TriggerOverrides { ArraySize = 3 };
        Store(parent);

        var (status, gone) = await GetAsync("/triggers/{id}/log", "old-array", ("child", "1"));

        Assert.Equal((400, "child"), (status, gone["field"]!.GetValue<string>()));
        Assert.Contains("AWS Batch no longer describes", gone["message"]!.GetValue<string>());
        Assert.Contains($"CloudWatch Logs group {LogGroup}", gone["message"]!.GetValue<string>());
    }

    private TriggerRecord ArrayParent(string id, int? overrideSize)
    {
        var parent = Running(id: id);
        parent.ArrayStatusSummary = new Dictionary<string, int> { ["RUNNING"] = 3 };
        if (overrideSize is int size) parent.Overrides = new TriggerOverrides { ArraySize = size };
        parent.LogLocation = null; // Batch names no stream for an array parent
        Store(parent);
        _batch.AddJob(parent.BatchJobId!, "RUNNING", Array.Empty<string>(), null, arraySize: 3, childStatus: "RUNNING");
        return parent;
    }

    [Fact]
    public async Task Log_of_an_array_child_reads_each_of_its_attempts_through_one_DescribeJobs_call()
    {
        var parent = ArrayParent("parent", overrideSize: null);
        _batch.SetChild(parent.BatchJobId!, 1, "RUNNING", new[] { "nightly-export/default/c1-first" }, "nightly-export/default/c1-second");
        Lines("nightly-export/default/c1-first", 1, 2);
        Lines("nightly-export/default/c1-second", 3, 3);

        var (status, latest) = await GetAsync("/triggers/{id}/log", "parent", ("child", "1"));
        var (_, earlier) = await GetAsync("/triggers/{id}/log", "parent", ("child", "1"), ("attempt", "1"));
        var (_, followed) = await GetAsync("/triggers/{id}/log", "parent", ("child", "1"), ("nextToken", latest["nextToken"]!.GetValue<string>()));

        Assert.Equal(200, status);
        Assert.Equal((2, 2, "nightly-export/default/c1-second"), (latest["attempt"]!.GetValue<int>(), latest["attempts"]!.GetValue<int>(), (string?)latest["logLocation"]));
        Assert.Equal("line 3", Assert.Single(latest["events"]!.AsArray())!["message"]!.GetValue<string>());
        Assert.Equal(new[] { "line 1", "line 2" }, earlier["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));
        Assert.Equal("nightly-export/default/c1-first", (string?)earlier["logLocation"]);
        Assert.Empty(followed["events"]!.AsArray());
        Assert.NotNull(followed["nextToken"]); // the child runs: a follower keeps its token
        Assert.Equal(new[] { parent.BatchJobId!, parent.BatchJobId + ":1" }, _batch.Calls.First());
        Assert.Equal(3, _batch.Calls.Count);
    }

    [Fact]
    public async Task Log_of_an_array_child_out_of_range_or_of_an_attempt_it_has_not_made_is_refused_naming_the_range()
    {
        ArrayParent("parent", overrideSize: null);
        _batch.SetChild("4c7599ae-0a82-49aa-ba5a-4727fcce14a8", 0, "SUCCEEDED", new[] { "nightly-export/default/c0" }, "nightly-export/default/c0");
        _batch.SetChild("4c7599ae-0a82-49aa-ba5a-4727fcce14a8", 2, "RUNNABLE", Array.Empty<string>(), null);
        Store(Record("single"));

        var (childStatus, child) = await GetAsync("/triggers/{id}/log", "parent", ("child", "3"));
        var (attemptStatus, attempt) = await GetAsync("/triggers/{id}/log", "parent", ("child", "0"), ("attempt", "2"));
        var (pendingStatus, pending) = await GetAsync("/triggers/{id}/log", "parent", ("child", "2"), ("attempt", "1"));
        var (singleStatus, single) = await GetAsync("/triggers/{id}/log", "single", ("child", "0"));

        Assert.Equal((400, "InvalidRequest"), (childStatus, child["code"]!.GetValue<string>()));
        Assert.Equal("'child' is 3; trigger parent's array job has children 0..2.", child["message"]!.GetValue<string>());
        Assert.Equal(400, attemptStatus);
        Assert.Equal("'attempt' is 2; trigger parent's job has attempts 1..1.", attempt["message"]!.GetValue<string>());
        Assert.Equal(400, pendingStatus);
        Assert.Equal("'attempt' is 1, but trigger parent's job has not started an attempt yet.", pending["message"]!.GetValue<string>());
        Assert.Equal(400, singleStatus);
        Assert.Equal("Trigger single does not run an array job; leave 'child' out.", single["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Log_of_an_array_parent_without_child_is_refused_naming_the_children_and_an_unknown_trigger_is_not_found()
    {
        ArrayParent("parent", overrideSize: null); // a catalog entry's array size: Batch says how many children
        ArrayParent("sized", overrideSize: 3); // the trigger's own arraySize: no call

        var (parentStatus, array) = await GetAsync("/triggers/{id}/log", "parent");
        var callsForParent = _batch.Calls.Count;
        var (sizedStatus, sized) = await GetAsync("/triggers/{id}/log", "sized");
        var (missingStatus, missing) = await GetAsync("/triggers/{id}/log", "no-such-trigger");

        Assert.Equal((400, "ArrayParent"), (parentStatus, array["code"]!.GetValue<string>()));
        Assert.Equal("Trigger parent runs an array job of 3 children; each child has its own log. Pass child=0..2 (Get-BatchTriggerLog -Child N).", array["message"]!.GetValue<string>());
        Assert.Equal(1, callsForParent);
        Assert.Equal((400, "ArrayParent"), (sizedStatus, sized["code"]!.GetValue<string>()));
        Assert.Contains("child=0..2", sized["message"]!.GetValue<string>());
        Assert.Single(_batch.Calls);
        Assert.Equal((404, "TriggerNotFound"), (missingStatus, missing["code"]!.GetValue<string>()));
    }

    // ---------------------------------------------------------------- GET /triggers/{id}/history

    private static JsonObject Event(int id, int previous, string type, string? details = null) =>
        JsonNode.Parse($$$"""{"id": {{{id}}}, "previousEventId": {{{previous}}}, "timestamp": {{{1795763567 + id}}}.25, "type": "{{{type}}}"{{{(details is null ? "" : ", " + details)}}}}""")!.AsObject();

    [Fact]
    public async Task History_reads_every_page_and_answers_the_local_shape()
    {
        var record = Running(status: TriggerStatus.SUCCEEDED, attempts: 1);
        record.ExecutionId = FakeStepFunctions.StateMachineArn.Replace(":stateMachine:", ":execution:") + ":" + record.TriggerId;
        Store(record);
        var events = new List<JsonObject>
        {
            Event(1, 0, "ExecutionStarted", """ "executionStartedEventDetails": {"input": "{\"triggerId\":\"k-nightly-1\"}", "roleArn": "arn:aws:iam::123456789012:role/R"}"""),
            Event(2, 1, "TaskStateEntered", """ "stateEnteredEventDetails": {"name": "RunJob", "input": "{\"a\":1}"}"""),
            Event(3, 2, "TaskScheduled", """ "taskScheduledEventDetails": {"resourceType": "batch", "resource": "submitJob.sync", "region": "eu-west-1", "parameters": "{}"}"""),
            Event(4, 3, "TaskStarted", """ "taskStartedEventDetails": {"resourceType": "batch", "resource": "submitJob.sync"}"""),
        };
        // Enough polling events to need three GetExecutionHistory pages (1,000 each).
        for (var i = 5; i < 2100; i++) events.Add(Event(i, i - 1, "TaskSubmitted", """ "taskSubmittedEventDetails": {"resourceType": "batch", "resource": "submitJob.sync", "output": "{}"}"""));
        events.Add(Event(2100, 2099, "TaskSucceeded", """ "taskSucceededEventDetails": {"resourceType": "batch", "resource": "submitJob.sync", "output": "{\"JobId\":\"4c75\"}"}"""));
        events.Add(Event(2101, 2100, "TaskStateExited", """ "stateExitedEventDetails": {"name": "RunJob", "output": "{\"done\":true}"}"""));
        events.Add(Event(2102, 2101, "ExecutionSucceeded", """ "executionSucceededEventDetails": {"output": "{\"done\":true}"}"""));
        _states.SetHistory(record.ExecutionId, events);

        var (status, body) = await GetAsync("/triggers/{id}/history", record.TriggerId);

        Assert.Equal(200, status);
        Assert.Equal((record.TriggerId, record.ExecutionId, "SUCCEEDED", 1), ((string?)body["triggerId"], (string?)body["executionId"], (string?)body["status"], body["transitionCount"]!.GetValue<int>()));
        var mapped = body["events"]!.AsArray();
        Assert.Equal(2102, mapped.Count);
        Assert.Equal(3, _states.HistoryCalls.Count);
        Assert.Equal("k-nightly-1", mapped[0]!["input"]!["triggerId"]!.GetValue<string>());
        Assert.Null(mapped[0]!["stateName"]);
        Assert.Equal(("TaskScheduled", "RunJob", "arn:aws:states:::batch:submitJob.sync"), ((string?)mapped[2]!["type"], (string?)mapped[2]!["stateName"], (string?)mapped[2]!["resource"]));
        Assert.Equal("RunJob", (string?)mapped[2099]!["stateName"]);
        Assert.Equal("4c75", mapped[2099]!["output"]!["JobId"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795763568250), mapped[0]!["timestamp"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task History_of_a_trigger_without_an_execution_is_empty_and_of_an_unknown_trigger_404()
    {
        Store(Record("received", status: TriggerStatus.RECEIVED));

        var (status, body) = await GetAsync("/triggers/{id}/history", "received");
        var (missingStatus, missing) = await GetAsync("/triggers/{id}/history", "no-such-trigger");

        Assert.Equal(200, status);
        Assert.Empty(body["events"]!.AsArray());
        Assert.Null(body["executionId"]);
        Assert.Equal(0, body["transitionCount"]!.GetValue<int>());
        Assert.Equal((404, "TriggerNotFound"), (missingStatus, missing["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_method_the_routes_do_not_take_is_405_and_an_aws_failure_is_a_503()
    {
        var request = JsonNode.Parse(RecordedEvents.Read("apigateway-proxy-get.json"))!.AsObject();
        request["httpMethod"] = "DELETE";
        var deleted = JsonNode.Parse(await Function().HandleAsync(RecordedEvents.AsStream(request)))!;
        Running(status: TriggerStatus.SUCCEEDED);
        _states.FailNext(1, 500, "ServiceUnavailable");

        var (status, body) = await GetAsync("/triggers/{id}/history", "k-nightly-1");

        Assert.Equal(405, deleted["statusCode"]!.GetValue<int>());
        Assert.Equal((503, "ServiceUnavailable"), (status, body["code"]!.GetValue<string>()));
        Assert.Contains("ServiceUnavailable", _log.ToString());
    }

    // ---------------------------------------------------------------- GET /jobs

    [Fact]
    public async Task Jobs_lists_every_scan_page_with_public_fields_only_sorted_by_name()
    {
        _dynamo.ScanPageSize = 2; // several Scan pages
        var names = new[] { "zeta", "alpha", "nightly-export", "beta", "gamma" };
        foreach (var name in names)
        {
            var entry = new Core.Catalog.JobCatalogEntry
            {
                Name = name, Description = $"the {name} job", JobQueue = "arn:aws:batch:eu-west-1:123456789012:job-queue/q", JobDefinition = "secret-definition",
                Parameters = new Dictionary<string, string?> { ["date"] = null, ["region"] = "EMEA" }, AllowOverrides = new List<string> { "arraySize" },
            };
            _dynamo.Put(Catalog, new JsonObject
            {
                ["name"] = new JsonObject { ["S"] = name },
                ["entry"] = new JsonObject { ["S"] = JsonSerializer.Serialize(entry, Core.Json.BatchPsJson.Options) },
            });
        }
        _dynamo.Put(Catalog, new JsonObject { ["name"] = new JsonObject { ["S"] = "broken" }, ["entry"] = new JsonObject { ["S"] = "{not json" } });

        var (status, body) = await GetAsync("/jobs", null);

        Assert.Equal(200, status);
        var jobs = body["jobs"]!.AsArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), jobs.Select(j => j!["name"]!.GetValue<string>()));
        Assert.Equal("""{"name":"alpha","description":"the alpha job","parameters":{"date":null,"region":"EMEA"},"allowOverrides":["arraySize"]}""", jobs[0]!.ToJsonString());
        Assert.DoesNotContain("secret-definition", body.ToJsonString());
        Assert.Contains("left out catalog item 'broken'", _log.ToString());
    }
}
