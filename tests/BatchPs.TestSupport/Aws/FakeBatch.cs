using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.TestSupport.SigV4;
using Microsoft.AspNetCore.Http;

namespace BatchPs.TestSupport.Aws;

/// <summary>
/// A loopback AWS Batch (REST-JSON) that verifies every request's SigV4 signature (service <c>batch</c>) and answers
/// DescribeJobs (<c>POST /v1/describejobs</c>, <c>{"jobs": [ids]}</c>, 1..100 ids) as the API reference describes:
/// <c>{"jobs": [JobDetail]}</c> for the ids it knows, an unknown id left out (not an error); each job's
/// <c>attempts[]</c> (ended attempts, each with <c>container.logStreamName</c>), <c>container.logStreamName</c> (the
/// current or last attempt's), <c>status</c>, and <c>arrayProperties</c> (<c>size</c> and <c>statusSummary</c> on an
/// array parent, <c>index</c> on a child, whose id is <c>parentId:index</c>). A bad request is <c>ClientException</c> (400,
/// named in <c>x-amzn-ErrorType</c>); another path is a 404 <c>UnknownOperationException</c>.
/// </summary>
public sealed class FakeBatch : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";

    private readonly ConcurrentDictionary<string, JsonObject> _jobs = new(StringComparer.Ordinal);
    private LoopbackServer? _server;

    public Uri Endpoint => _server!.Address;
    public ConcurrentQueue<string> Rejections { get; } = new();
    /// <summary>The job ids of each DescribeJobs call, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<string>> Calls { get; } = new();

    public static async Task<FakeBatch> StartAsync()
    {
        var fake = new FakeBatch();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>
    /// Adds (or replaces) a job: <paramref name="endedAttemptStreams"/> are its ended attempts' streams, oldest first;
    /// <paramref name="containerStream"/> the current (or last) attempt's. An array parent of <paramref name="arraySize"/>
    /// children gets them too (<c>id:0</c>.. in <paramref name="childStatus"/>, no attempts yet) unless added later.
    /// </summary>
    public void AddJob(string jobId, string status, string[] endedAttemptStreams, string? containerStream, int? arraySize = null, string childStatus = "PENDING")
    {
        var job = Job(jobId, status, endedAttemptStreams, containerStream);
        if (arraySize is int size)
        {
            job["arrayProperties"] = new JsonObject { ["size"] = size, ["statusSummary"] = new JsonObject { [childStatus] = size } };
            for (var i = 0; i < size; i++)
            {
                var child = Job($"{jobId}:{i}", childStatus, Array.Empty<string>(), null);
                child["arrayProperties"] = new JsonObject { ["index"] = i };
                _jobs.TryAdd(child["jobId"]!.GetValue<string>(), child);
            }
        }
        _jobs[jobId] = job;
    }

    /// <summary>Replaces array child <paramref name="index"/> of <paramref name="parentId"/>.</summary>
    public void SetChild(string parentId, int index, string status, string[] endedAttemptStreams, string? containerStream)
    {
        var child = Job($"{parentId}:{index}", status, endedAttemptStreams, containerStream);
        child["arrayProperties"] = new JsonObject { ["index"] = index };
        _jobs[$"{parentId}:{index}"] = child;
    }

    private static JsonObject Job(string jobId, string status, string[] endedAttemptStreams, string? containerStream)
    {
        var started = DateTimeOffset.Parse("2026-12-08T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var job = new JsonObject
        {
            ["jobArn"] = $"arn:aws:batch:{Region}:123456789012:job/{jobId}",
            ["jobName"] = "hello",
            ["jobId"] = jobId,
            ["jobQueue"] = $"arn:aws:batch:{Region}:123456789012:job-queue/default",
            ["status"] = status,
            ["attempts"] = new JsonArray(endedAttemptStreams.Select((stream, i) => (JsonNode)new JsonObject
            {
                ["container"] = new JsonObject { ["exitCode"] = 1, ["logStreamName"] = stream, ["taskArn"] = $"arn:aws:ecs:{Region}:123456789012:task/t{i}" },
                ["startedAt"] = started + i * 60000,
                ["stoppedAt"] = started + i * 60000 + 30000,
                ["statusReason"] = "Essential container in task exited",
            }).ToArray()),
            ["createdAt"] = started - 60000,
            ["jobDefinition"] = $"arn:aws:batch:{Region}:123456789012:job-definition/hello:1",
            ["container"] = new JsonObject { ["image"] = "public.ecr.aws/docker/library/busybox:latest", ["vcpus"] = 1, ["memory"] = 512 },
        };
        if (containerStream is not null) job["container"]!["logStreamName"] = containerStream;
        return job;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LoopbackServer.ReadBodyAsync(context);
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var check = SigV4Verifier.Verify(new SigV4Verifier.Request(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", LoopbackServer.Headers(context), body),
            SecretKey, normalizePath: true, Region, "batch");
        if (!check.Valid)
        {
            Rejections.Enqueue(check.Problem);
            await WriteErrorAsync(context, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
            return;
        }
        if (context.Request.Method != "POST" || context.Request.Path.Value != "/v1/describejobs")
        {
            await WriteErrorAsync(context, 404, "UnknownOperationException", "Unknown operation.");
            return;
        }
        JsonArray? ids;
        try { ids = JsonNode.Parse(body)?["jobs"] as JsonArray; }
        catch (JsonException) { await WriteErrorAsync(context, 400, "ClientException", "Malformed JSON."); return; }
        if (ids is null || ids.Count is < 1 or > 100 || ids.Any(i => i is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            await WriteErrorAsync(context, 400, "ClientException", "jobs must be a list of 1 to 100 job ids.");
            return;
        }
        var asked = ids.Select(i => i!.GetValue<string>()).ToList();
        Calls.Enqueue(asked);
        var answer = new JsonObject
        {
            ["jobs"] = new JsonArray(asked.Distinct(StringComparer.Ordinal).Where(_jobs.ContainsKey).Select(id => _jobs[id].DeepClone()).ToArray()),
        };
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer.ToJsonString()));
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = type;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(new JsonObject { ["message"] = message }.ToJsonString()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
