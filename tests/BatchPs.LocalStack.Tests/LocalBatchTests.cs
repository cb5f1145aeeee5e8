using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchPs.LocalStack.Tests;

public sealed class LocalBatchTests : IAsyncLifetime
{
    private readonly TestFolder _folder = new();
    private LocalDatabase _database = null!;
    private LocalBatch _batch = null!;

    public Task InitializeAsync()
    {
        var catalog = _folder.Write("catalog.json", "{\"jobs\": [" + Jobs.Shell("flaky",
            "n=$(cat \"$1\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$1\"; echo \"attempt $AWS_BATCH_JOB_ATTEMPT\"; [ $n -ge 2 ] || exit 7",
            "\"Ref::counter\"", """{"counter": null}""") + "]}");
        _database = LocalDatabase.Open(_folder.File("data"));
        _batch = new LocalBatch(_database, LocalJobCatalog.Load(catalog), _folder.File("data"), 2, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _batch.DisposeAsync();
        _database.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Submit_watch_and_describe_give_the_DescribeJobs_shape_with_every_attempt()
    {
        var request = SubmitJobRequest.FromJson(JsonNode.Parse($$"""
            {"JobName": "flaky-t1", "JobQueue": "local", "JobDefinition": "flaky",
             "Parameters": {"counter": {{JsonSerializer.Serialize(_folder.File("counter"))}}},
             "RetryStrategy": {"Attempts": 3}, "Tags": {"BatchPsTriggerId": "t1"}, "PropagateTags": true}
            """)!);
        var jobId = await _batch.SubmitJobAsync(request, idempotencyToken: "invocation-1");
        Assert.Equal(jobId, await _batch.SubmitJobAsync(request, idempotencyToken: "invocation-1")); // a resumed task re-attaches

        var seen = new List<string>();
        await foreach (var change in _batch.WatchAsync(jobId, CancellationToken.None))
            seen.Add(change.Status);
        Assert.Equal("SUCCEEDED", seen[^1]);
        Assert.Contains("RUNNING", seen);

        var detail = _batch.DescribeJob(jobId)!;
        Assert.Equal(1, TestStack.CountRows(_folder.File("data"), "batch_jobs"));
        Assert.Equal("flaky", detail.JobDefinition);
        Assert.Equal("local", detail.JobQueue);
        Assert.Equal("t1", detail.Tags["BatchPsTriggerId"]);
        Assert.Equal(2, detail.Attempts.Count);
        Assert.Equal(7, detail.Attempts[0].Container.ExitCode);
        Assert.Equal(0, detail.Attempts[1].Container.ExitCode);
        Assert.Equal(0, detail.Container.ExitCode);
        Assert.Contains("attempt 2", File.ReadAllText(detail.Attempts[1].Container.LogStreamName!));
        Assert.True(detail.CreatedAt <= detail.StartedAt && detail.StartedAt <= detail.StoppedAt);
        Assert.All(detail.Attempts, a => Assert.True(a.StartedAt <= a.StoppedAt));

        // The JSON is AWS Batch's (camelCase) shape.
        var json = JsonNode.Parse(JsonSerializer.Serialize(detail, BatchPs.LocalStack.LocalJson.Options))!;
        Assert.Equal(7, (int)json["attempts"]![0]!["container"]!["exitCode"]!);
        Assert.NotNull(json["container"]!["logStreamName"]);
        Assert.Equal("SUCCEEDED", (string?)json["status"]);
    }

    [Fact]
    public async Task Submitting_an_unknown_job_definition_is_a_client_error()
    {
        var request = SubmitJobRequest.FromJson(JsonNode.Parse("""{"JobName": "x", "JobQueue": "local", "JobDefinition": "nope"}""")!);
        var error = await Assert.ThrowsAsync<BatchClientException>(() => _batch.SubmitJobAsync(request));
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public async Task After_a_stop_the_restart_says_the_shutdown_stopped_the_attempt_and_runs_it_again_first()
    {
        var release = _folder.File("release");
        var catalog = _folder.Write("hold.json", "{\"jobs\": [" + Jobs.Shell("hold", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "\"Ref::release\"",
            $$"""{"release": {{JsonSerializer.Serialize(release)}}}""") + "]}");
        var data = _folder.File("hold-data");
        string jobId;
        var beforeStop = DateTimeOffset.UtcNow;
        using (var database = LocalDatabase.Open(data))
        {
            var first = new LocalBatch(database, LocalJobCatalog.Load(catalog), data, 1, NullLogger.Instance);
            jobId = await first.SubmitJobAsync(SubmitJobRequest.FromJson(JsonNode.Parse("""{"JobName": "hold-1", "JobQueue": "local", "JobDefinition": "hold"}""")!));
            await Eventually.WaitForAsync(() => first.DescribeJob(jobId)!.Status == BatchJobStatus.Running, TimeSpan.FromSeconds(30), "running");
            beforeStop = DateTimeOffset.UtcNow;
            await first.DisposeAsync();
        }

        using (var database = LocalDatabase.Open(data))
        {
            var changes = new List<JsonNode>();
            var second = new LocalBatch(database, LocalJobCatalog.Load(catalog), data, 1, NullLogger.Instance,
                json => { lock (changes) changes.Add(JsonNode.Parse(json)!); return Task.CompletedTask; });
            await using (second)
            {
                var (interrupted, stoppedByShutdown, queued) = await second.RecoverAsync();
                Assert.Equal((1, 1, 1), (interrupted, stoppedByShutdown, queued));
                File.WriteAllText(release, "go");
                await foreach (var _ in second.WatchAsync(jobId, CancellationToken.None)) { }

                JsonNode[] seen;
                lock (changes) seen = changes.ToArray();
                Assert.Equal("RUNNABLE", (string?)seen[0]["status"]);
                var reason = (string)seen[0]["statusReason"]!;
                Assert.StartsWith("Attempt 1 was stopped by the local stack's shutdown at ", reason);
                Assert.EndsWith("it runs again (an attempt the stack itself stopped does not count against the job's retry strategy).", reason);
                var stoppedAt = DateTimeOffset.Parse(reason.Split(" at ")[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(stoppedAt, beforeStop.AddSeconds(-1), DateTimeOffset.UtcNow);
                var final = second.DescribeJob(jobId)!;
                Assert.Equal(BatchJobStatus.Succeeded, final.Status);
                Assert.Single(final.Attempts);
            }
        }
    }
}
