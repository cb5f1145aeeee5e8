using System.Net;
using System.Text;
using System.Text.Json;
using BatchPs.Core.Api;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Tests.Client;

/// <summary>The client's retry, idempotency and error logic, over a scripted message handler.</summary>
public sealed class BatchTriggerClientTests
{
    private static readonly RetryPolicy FastRetries = new() { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    private static BatchTriggerClient Client(ScriptedHttpHandler handler, RetryPolicy? retry = null, TimeSpan? attemptTimeout = null) =>
        new(new BatchTriggerClientOptions(new Uri("http://127.0.0.1:5000/prod"), "key-1")
        {
            Retry = retry ?? FastRetries,
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30),
        }, handler);

    private static HttpResponseMessage Record(HttpStatusCode status, string id, string triggerStatus = "RECEIVED") =>
        Json(status, $$"""{"triggerId":"{{id}}","jobName":"hello","parameters":{},"idempotencyKey":"k","status":"{{triggerStatus}}","createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z","statusChangedAt":"2026-11-24T07:00:00Z","version":1,"someNewField":true}""");

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Send_posts_to_triggers_under_the_endpoint_path_with_the_key_and_a_generated_idempotency_key()
    {
        var handler = new ScriptedHttpHandler(_ => Record(HttpStatusCode.Accepted, "t1"));
        using var client = Client(handler);
        var request = new TriggerRequest { JobName = "hello", Parameters = { ["date"] = "2026-11-24" } };
        var record = await client.SendAsync(request);
        Assert.Equal("t1", record.TriggerId);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("http://127.0.0.1:5000/prod/triggers", sent.Uri.AbsoluteUri);
        Assert.Equal("key-1", sent.ApiKey);
        Assert.Matches("^[0-9a-f]{32}$", request.IdempotencyKey);
        Assert.Equal(request.IdempotencyKey, sent.Json.GetProperty("idempotencyKey").GetString());
        Assert.Equal("2026-11-24", sent.Json.GetProperty("parameters").GetProperty("date").GetString());
    }

    [Fact]
    public async Task Send_retries_connection_failures_timeouts_and_5xx_with_the_same_idempotency_key()
    {
        var attempt = 0;
        var handler = new ScriptedHttpHandler(async (_, ct) =>
        {
            switch (++attempt)
            {
                case 1: throw new HttpRequestException("Connection refused");
                case 2: await Task.Delay(Timeout.Infinite, ct); return null!; // times out
                case 3: return Json(HttpStatusCode.InternalServerError, """{"code":"InternalError","message":"boom"}""");
                default: return Record(HttpStatusCode.Accepted, "t1");
            }
        });
        using var client = Client(handler, attemptTimeout: TimeSpan.FromMilliseconds(200));
        var record = await client.SendAsync(new TriggerRequest { JobName = "hello" });
        Assert.Equal("t1", record.TriggerId);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Single(handler.Requests.Select(r => r.Json.GetProperty("idempotencyKey").GetString()).Distinct());
    }

    [Fact]
    public async Task A_refusal_is_not_retried_and_carries_code_status_and_field()
    {
        var handler = new ScriptedHttpHandler(_ => Json(HttpStatusCode.BadRequest, """{"code":"InvalidParameter","message":"Parameter 'x' is not declared.","field":"parameters.x"}"""));
        using var client = Client(handler);
        var ex = await Assert.ThrowsAsync<BatchTriggerException>(() => client.SendAsync(new TriggerRequest { JobName = "hello" }));
        Assert.Equal(ErrorCodes.InvalidParameter, ex.Code);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("parameters.x", ex.Field);
        Assert.Equal(1, ex.Attempts);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task When_retries_run_out_the_last_failure_is_thrown_with_its_cause()
    {
        var handler = new ScriptedHttpHandler(_ => throw new HttpRequestException("Connection refused", new IOException("socket")));
        using var client = Client(handler, new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) });
        var ex = await Assert.ThrowsAsync<BatchTriggerException>(() => client.GetAsync("t1"));
        Assert.Equal(ClientErrorCodes.ConnectionFailed, ex.Code);
        Assert.Null(ex.StatusCode);
        Assert.Equal(3, ex.Attempts);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Contains("socket", ex.Message);
    }

    [Fact]
    public async Task Get_escapes_the_id_and_reads_unknown_record_fields_leniently()
    {
        var handler = new ScriptedHttpHandler(_ => Record(HttpStatusCode.OK, "a/b", "RUNNING"));
        using var client = Client(handler);
        var record = await client.GetAsync("a/b");
        Assert.Equal(TriggerStatus.RUNNING, record.Status);
        Assert.Equal("/prod/triggers/a%2Fb", Assert.Single(handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task Unknown_trigger_is_TriggerNotFound()
    {
        var handler = new ScriptedHttpHandler(_ => Json(HttpStatusCode.NotFound, """{"code":"TriggerNotFound","message":"No trigger has id 'x'."}"""));
        using var client = Client(handler);
        var ex = await Assert.ThrowsAsync<BatchTriggerException>(() => client.GetAsync("x"));
        Assert.Equal(ErrorCodes.TriggerNotFound, ex.Code);
        Assert.Equal(404, ex.StatusCode);
    }

    [Fact]
    public async Task A_non_api_error_page_is_described_by_its_status()
    {
        var handler = new ScriptedHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>proxy error</html>") });
        using var client = Client(handler, RetryPolicy.None);
        var ex = await Assert.ThrowsAsync<BatchTriggerException>(() => client.GetAsync("x"));
        Assert.Equal(ErrorCodes.InternalError, ex.Code);
        Assert.Contains("proxy error", ex.Message);
    }

    [Fact]
    public async Task Cancellation_stops_the_call_without_retrying()
    {
        var handler = new ScriptedHttpHandler(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return null!; });
        using var client = Client(handler);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("t1", cancellationToken: cts.Token));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Waiter_polls_until_final_and_times_out_with_the_last_record()
    {
        var statuses = new Queue<string>(new[] { "RECEIVED", "RUNNING", "SUCCEEDED" });
        var handler = new ScriptedHttpHandler(_ => Record(HttpStatusCode.OK, "t1", statuses.Count > 1 ? statuses.Dequeue() : statuses.Peek()));
        using var client = Client(handler);
        var waiter = new TriggerWaiter(client, "t1", null, new PollSchedule { Initial = TimeSpan.FromMilliseconds(1), Max = TimeSpan.FromMilliseconds(5) });
        var seen = new List<TriggerStatus>();
        TriggerRecord? record;
        do
        {
            record = await waiter.NextAsync(CancellationToken.None);
            seen.Add(record!.Status);
        }
        while (!record.IsFinal);
        Assert.Equal(new[] { TriggerStatus.RECEIVED, TriggerStatus.RUNNING, TriggerStatus.SUCCEEDED }, seen);

        var running = new ScriptedHttpHandler(_ => Record(HttpStatusCode.OK, "t2", "RUNNABLE"));
        using var client2 = Client(running);
        var timed = new TriggerWaiter(client2, "t2", TimeSpan.FromMilliseconds(200), new PollSchedule { Initial = TimeSpan.FromMilliseconds(20), Max = TimeSpan.FromMilliseconds(50) });
        while (await timed.NextAsync(CancellationToken.None) is not null) { }
        Assert.True(timed.TimedOut);
        Assert.Equal(TriggerStatus.RUNNABLE, timed.Last!.Status);
    }
}
