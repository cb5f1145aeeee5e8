using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchPs.TestSupport.SigV4;
using Microsoft.AspNetCore.Http;

namespace BatchPs.TestSupport.Aws;

/// <summary>
/// A loopback CloudWatch Logs (AWS JSON 1.1, <c>Logs_20140328</c>) that verifies every request's SigV4 signature (service
/// <c>logs</c>) and answers GetLogEvents as the API reference describes: events oldest first, at most <c>limit</c>
/// (1..10,000, default 10,000); without a token the head of the stream (<c>startFromHead</c> true) or its last
/// <c>limit</c> events (false, the default); <c>nextForwardToken</c> / <c>nextBackwardToken</c> to page on, and at the
/// end of the stream the same forward token that was passed in. A group or stream that does not exist is
/// ResourceNotFoundException (400); a bad limit or a token the service did not write is InvalidParameterException (400).
/// Tokens look like AWS's (<c>f/…/s</c>, <c>b/…/s</c>) and are opaque to the client.
/// </summary>
public sealed class FakeCloudWatchLogs : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";

    private static readonly Regex Token = new("^([fb])/(\\d{56})/s$");
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, List<(long Timestamp, string Message)>>> _groups = new(StringComparer.Ordinal);
    private LoopbackServer? _server;

    public Uri Endpoint => _server!.Address;
    public ConcurrentQueue<string> Rejections { get; } = new();
    /// <summary>The GetLogEvents request bodies, in order.</summary>
    public ConcurrentQueue<JsonObject> Calls { get; } = new();

    public static async Task<FakeCloudWatchLogs> StartAsync()
    {
        var fake = new FakeCloudWatchLogs();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public void CreateGroup(string group) => _groups.GetOrAdd(group, _ => new(StringComparer.Ordinal));

    /// <summary>Appends events to a stream (created, in a group created, when new), as PutLogEvents would.</summary>
    public void Append(string group, string stream, params (DateTimeOffset Time, string Message)[] events)
    {
        var list = _groups.GetOrAdd(group, _ => new(StringComparer.Ordinal)).GetOrAdd(stream, _ => new());
        lock (list) list.AddRange(events.Select(e => (e.Time.ToUnixTimeMilliseconds(), e.Message)));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LoopbackServer.ReadBodyAsync(context);
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var check = SigV4Verifier.Verify(new SigV4Verifier.Request(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", LoopbackServer.Headers(context), body),
            SecretKey, normalizePath: false, Region, "logs");
        if (!check.Valid)
        {
            Rejections.Enqueue(check.Problem);
            await WriteAsync(context, 400, Error("InvalidSignatureException", "The request signature we calculated does not match the signature you provided."));
            return;
        }
        if (context.Request.ContentType != "application/x-amz-json-1.1" || context.Request.Headers["X-Amz-Target"].ToString() != "Logs_20140328.GetLogEvents")
        {
            await WriteAsync(context, 400, Error("UnknownOperationException", "Unknown operation."));
            return;
        }
        JsonObject request;
        try { request = JsonNode.Parse(body)!.AsObject(); }
        catch (JsonException) { await WriteAsync(context, 400, Error("SerializationException", "Malformed JSON.")); return; }
        Calls.Enqueue(request);
        var (status, json) = GetLogEvents(request);
        await WriteAsync(context, status, json);
    }

    private (int, string) GetLogEvents(JsonObject request)
    {
        var group = request["logGroupName"]?.GetValue<string>();
        var streamName = request["logStreamName"]?.GetValue<string>();
        if (group is null || streamName is null)
            return (400, Error("InvalidParameterException", "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null"));
        var limit = request["limit"]?.GetValue<int>() ?? 10000;
        if (limit is < 1 or > 10000)
            return (400, Error("InvalidParameterException", $"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000"));
        if (!_groups.TryGetValue(group, out var streams)) return (400, Error("ResourceNotFoundException", "The specified log group does not exist."));
        if (!streams.TryGetValue(streamName, out var stream)) return (400, Error("ResourceNotFoundException", "The specified log stream does not exist."));
        List<(long Timestamp, string Message)> events;
        lock (stream) events = stream.ToList();

        int from, to;
        var token = request["nextToken"]?.GetValue<string>();
        if (token is not null)
        {
            var match = Token.Match(token);
            if (!match.Success || !int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position > events.Count)
                return (400, Error("InvalidParameterException", "The specified nextToken is invalid."));
            (from, to) = match.Groups[1].Value == "f" ? (position, Math.Min(events.Count, position + limit)) : (Math.Max(0, position - limit), position);
        }
        else if (request["startFromHead"]?.GetValue<bool>() == true)
        {
            (from, to) = (0, Math.Min(events.Count, limit));
        }
        else
        {
            (from, to) = (Math.Max(0, events.Count - limit), events.Count);
        }
        var answer = new JsonObject
        {
            ["events"] = new JsonArray(events.Skip(from).Take(to - from).Select(e => (JsonNode)new JsonObject
            {
                ["timestamp"] = e.Timestamp,
                ["message"] = e.Message,
                ["ingestionTime"] = e.Timestamp + 150,
            }).ToArray()),
            // At the end of the stream a forward token is the one passed in: same position, same text.
            ["nextForwardToken"] = Position('f', to),
            ["nextBackwardToken"] = Position('b', from),
        };
        return (200, answer.ToJsonString());
    }

    private static string Position(char direction, int position) => $"{direction}/{position.ToString("D56", CultureInfo.InvariantCulture)}/s";

    private static string Error(string type, string message) => new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString();

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
