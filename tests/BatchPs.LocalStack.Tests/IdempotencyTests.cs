using System.Net;
using BatchPs.LocalStack.Http;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class IdempotencyTests : IAsyncLifetime
{
    private readonly TestFolder _work = new();
    private TestStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await TestStack.StartAsync(Jobs.Shell("count", "echo run >> \"$1\"; sleep 0.3", "\"Ref::file\"", """{"file": null}"""));

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Send_with_same_idempotency_key_returns_same_trigger_marked_as_replay()
    {
        var body = $$"""{"jobName": "count", "parameters": {"file": "{{_work.File("once.txt")}}"}, "idempotencyKey": "key-1"}""";
        using var first = await _stack.PostRawAsync(body);
        using var second = await _stack.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.False(first.Headers.Contains(TriggerApi.ReplayHeader));
        Assert.Equal("true", second.Headers.GetValues(TriggerApi.ReplayHeader).Single());
        var a = TestStack.Parse(await first.Content.ReadAsStringAsync());
        var b = TestStack.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(a.TriggerId, b.TriggerId);
        Assert.Equal("key-1", b.IdempotencyKey);
        Assert.Equal(1, _stack.CountTriggers());
    }

    [Fact]
    public async Task Concurrent_duplicate_posts_make_one_trigger_and_run_the_job_once()
    {
        var file = _work.File("concurrent.txt");
        var body = $$"""{"jobName": "count", "parameters": {"file": "{{file}}"}, "idempotencyKey": "same-key"}""";
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await _stack.PostRawAsync(body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return TestStack.Parse(await response.Content.ReadAsStringAsync());
        }));

        var id = Assert.Single(responses.Select(r => r.TriggerId).Distinct());
        Assert.Equal(1, _stack.CountTriggers());
        Assert.Equal(TriggerStatus.SUCCEEDED, (await _stack.WaitForFinalAsync(id)).Status);
        Assert.Equal(1, TestStack.CountRows(_stack.DataDirectory, "batch_jobs"));
        Assert.Equal(new[] { "run" }, File.ReadAllLines(file));
    }
}
