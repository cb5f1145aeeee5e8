using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchPs.TestSupport.SigV4;
using Microsoft.AspNetCore.Http;

namespace BatchPs.TestSupport.Aws;

/// <summary>
/// A loopback Step Functions that verifies every request's SigV4 signature and answers StartExecution
/// as the API reference describes: 200 {executionArn, startDate}; the same name with the same input
/// while the execution runs returns the same execution; the same name otherwise is
/// ExecutionAlreadyExists (400); unknown state machine, bad name or bad input are 400s; a bad or
/// expired signature is 403 InvalidSignatureException. StopExecution stops a known execution (200 {stopDate}) and
/// answers ExecutionDoesNotExist (400) for an ARN it never started. GetExecutionHistory pages a history the test sets
/// (<see cref="SetHistory"/>): <c>maxResults</c> 0..1000 (0: the default, 100), an opaque <c>nextToken</c> while more
/// remain (InvalidToken, 400, for one it did not write), ExecutionDoesNotExist for an unknown execution. Throttling and
/// server errors can be scripted.
/// </summary>
public sealed class FakeStepFunctions : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";
    public const string StateMachineArn = "arn:aws:states:eu-west-1:123456789012:stateMachine:BatchPsTrigger";

    private static readonly Regex ValidName = new("^[0-9A-Za-z_-]{1,80}$");
    private LoopbackServer? _server;
    private readonly ConcurrentDictionary<string, (string Input, string Arn, bool Running)> _executions = new();
    private readonly ConcurrentQueue<(int Status, string Type)> _scriptedFailures = new();
    private int _requests;

    public Uri Endpoint => _server!.Address;
    /// <summary>Shifts the server's clock (to simulate a client clock that is off).</summary>
    public TimeSpan ServerClockOffset { get; set; }
    public int Requests => _requests;
    public ConcurrentQueue<string> Rejections { get; } = new();
    public ConcurrentQueue<string> SecurityTokens { get; } = new();

    public static async Task<FakeStepFunctions> StartAsync()
    {
        var fake = new FakeStepFunctions();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public void FailNext(int times, int status, string type)
    {
        for (var i = 0; i < times; i++) _scriptedFailures.Enqueue((status, type));
    }

    public void EndExecution(string name) =>
        _executions.AddOrUpdate(name, _ => throw new InvalidOperationException(), (_, e) => e with { Running = false });

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var body = await LoopbackServer.ReadBodyAsync(context);
        var now = DateTime.UtcNow + ServerClockOffset;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.Headers["Date"] = now.ToString("r", CultureInfo.InvariantCulture);

        var request = new SigV4Verifier.Request(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", LoopbackServer.Headers(context), body);
        var check = SigV4Verifier.Verify(request, SecretKey, normalizePath: false, Region, "states");
        if (!check.Valid)
        {
            Rejections.Enqueue(check.Problem);
            await ErrorAsync(context, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
            return;
        }
        if (context.Request.Headers.TryGetValue("X-Amz-Security-Token", out var token)) SecurityTokens.Enqueue(token.ToString());
        var signedAt = DateTime.ParseExact(context.Request.Headers["X-Amz-Date"].ToString(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        if ((now - signedAt).Duration() > TimeSpan.FromMinutes(5))
        {
            Rejections.Enqueue("signature expired");
            await ErrorAsync(context, 403, "InvalidSignatureException", $"Signature expired: {signedAt:yyyyMMdd'T'HHmmss'Z'} is now earlier than {now.AddMinutes(-5):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 5 min.)");
            return;
        }
        if (_scriptedFailures.TryDequeue(out var failure))
        {
            await ErrorAsync(context, failure.Status, failure.Type, "Scripted failure.");
            return;
        }
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        if (context.Request.ContentType != "application/x-amz-json-1.0" || target is not ("AWSStepFunctions.StartExecution" or "AWSStepFunctions.StopExecution" or "AWSStepFunctions.GetExecutionHistory"))
        {
            await ErrorAsync(context, 400, "UnknownOperationException", "Unknown operation.");
            return;
        }
        if (target == "AWSStepFunctions.StopExecution") await StopExecutionAsync(context, body, now);
        else if (target == "AWSStepFunctions.GetExecutionHistory") await GetExecutionHistoryAsync(context, body);
        else await StartExecutionAsync(context, body, now);
    }

    /// <summary>The StopExecution calls answered, in order: (executionArn, error, cause).</summary>
    public ConcurrentQueue<(string Arn, string? Error, string? Cause)> Stops { get; } = new();

    /// <summary>StopExecution: 200 {stopDate} for an execution of this machine (it stops running); ExecutionDoesNotExist (400) otherwise.</summary>
    private async Task StopExecutionAsync(HttpContext context, byte[] body, DateTime now)
    {
        JsonObject request;
        try { request = JsonNode.Parse(body)!.AsObject(); }
        catch (JsonException) { await ErrorAsync(context, 400, "SerializationException", "Malformed JSON."); return; }
        var arn = request["executionArn"]?.GetValue<string>() ?? "";
        var prefix = StateMachineArn.Replace(":stateMachine:", ":execution:") + ":";
        if (!arn.StartsWith("arn:", StringComparison.Ordinal)) { await ErrorAsync(context, 400, "InvalidArn", $"Invalid Arn: '{arn}'"); return; }
        var name = arn.StartsWith(prefix, StringComparison.Ordinal) ? arn.Substring(prefix.Length) : null;
        if (name is null || !_executions.TryGetValue(name, out var execution))
        {
            await ErrorAsync(context, 400, "ExecutionDoesNotExist", $"Execution Does Not Exist: '{arn}'");
            return;
        }
        _executions[name] = execution with { Running = false };
        Stops.Enqueue((arn, request["error"]?.GetValue<string>(), request["cause"]?.GetValue<string>()));
        var stopDate = new DateTimeOffset(now).ToUnixTimeMilliseconds() / 1000.0;
        await WriteAsync(context, 200, $"{{\"stopDate\":{stopDate.ToString(CultureInfo.InvariantCulture)}}}");
    }

    private readonly ConcurrentDictionary<string, List<JsonObject>> _histories = new(StringComparer.Ordinal);

    /// <summary>The history GetExecutionHistory pages for an execution ARN (events as the API returns them, oldest first).</summary>
    public void SetHistory(string executionArn, IEnumerable<JsonObject> events) => _histories[executionArn] = events.ToList();

    /// <summary>The GetExecutionHistory request bodies, in order.</summary>
    public ConcurrentQueue<JsonObject> HistoryCalls { get; } = new();

    private async Task GetExecutionHistoryAsync(HttpContext context, byte[] body)
    {
        JsonObject request;
        try { request = JsonNode.Parse(body)!.AsObject(); }
        catch (JsonException) { await ErrorAsync(context, 400, "SerializationException", "Malformed JSON."); return; }
        HistoryCalls.Enqueue(request);
        var arn = request["executionArn"]?.GetValue<string>() ?? "";
        if (!arn.StartsWith("arn:", StringComparison.Ordinal)) { await ErrorAsync(context, 400, "InvalidArn", $"Invalid Arn: '{arn}'"); return; }
        if (!_histories.TryGetValue(arn, out var events)) { await ErrorAsync(context, 400, "ExecutionDoesNotExist", $"Execution Does Not Exist: '{arn}'"); return; }
        var max = request["maxResults"]?.GetValue<int>() ?? 0;
        if (max is < 0 or > 1000) { await ErrorAsync(context, 400, "ValidationException", $"1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"); return; }
        if (max == 0) max = 100;
        var start = 0;
        if (request["nextToken"]?.GetValue<string>() is { } token)
        {
            var expected = $"{arn}|";
            var decoded = "";
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token)); } catch (FormatException) { }
            if (!decoded.StartsWith(expected, StringComparison.Ordinal) || !int.TryParse(decoded[expected.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > events.Count)
            {
                await ErrorAsync(context, 400, "InvalidToken", "Invalid Token: 'Invalid token'");
                return;
            }
        }
        var page = events.Skip(start).Take(max).Select(e => (JsonNode)e.DeepClone()).ToArray();
        var answer = new JsonObject { ["events"] = new JsonArray(page) };
        if (start + page.Length < events.Count)
            answer["nextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{arn}|{start + page.Length}"));
        await WriteAsync(context, 200, answer.ToJsonString());
    }

    private async Task StartExecutionAsync(HttpContext context, byte[] body, DateTime now)
    {
        JsonObject request;
        try { request = JsonNode.Parse(body)!.AsObject(); }
        catch (JsonException) { await ErrorAsync(context, 400, "SerializationException", "Malformed JSON."); return; }
        if (request["stateMachineArn"]?.GetValue<string>() != StateMachineArn)
        {
            await ErrorAsync(context, 400, "StateMachineDoesNotExist", $"State Machine Does Not Exist: '{request["stateMachineArn"]}'");
            return;
        }
        var name = request["name"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        if (!ValidName.IsMatch(name)) { await ErrorAsync(context, 400, "InvalidName", $"Invalid Name: '{name}'"); return; }
        var input = request["input"]?.GetValue<string>() ?? "{}";
        try { JsonDocument.Parse(input).Dispose(); }
        catch (JsonException) { await ErrorAsync(context, 400, "InvalidExecutionInput", "Invalid State Machine Execution Input"); return; }

        var arn = StateMachineArn.Replace(":stateMachine:", ":execution:") + ":" + name;
        var existing = _executions.GetOrAdd(name, _ => (input, arn, true));
        if (!ReferenceEquals(existing.Input, input) && !(existing.Running && existing.Input == input))
        {
            await ErrorAsync(context, 400, "ExecutionAlreadyExists", $"Execution Already Exists: '{arn}'");
            return;
        }
        var startDate = new DateTimeOffset(now).ToUnixTimeMilliseconds() / 1000.0;
        await WriteAsync(context, 200, $"{{\"executionArn\":\"{arn}\",\"startDate\":{startDate.ToString(CultureInfo.InvariantCulture)}}}");
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message) =>
        WriteAsync(context, status, new JsonObject { ["__type"] = "com.amazonaws.swf.service.v2.model#" + type, ["message"] = message }.ToJsonString());

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
    }

    public int ExecutionCount => _executions.Count;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
