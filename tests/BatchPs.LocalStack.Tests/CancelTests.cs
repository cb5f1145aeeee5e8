using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

/// <summary>POST /triggers/{id}/cancel on a real stack with real processes.</summary>
public sealed class CancelTests : IAsyncLifetime
{
    // Writes its own pid and a child's to the pid file, then waits on the child: a tree of two processes.
    private const string TreeScript = "sleep 60 & echo $! >> \"$1\"; echo $$ >> \"$1\"; wait";
    private readonly TestFolder _work = new();
    private TestStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await TestStack.StartAsync(string.Join(",\n",
            Jobs.Shell("tree", TreeScript, "\"Ref::pids\"", """{"pids": null}"""),
            Jobs.Shell("quick", "exit 0"),
            Jobs.Shell("trees", TreeScript, "\"Ref::pids\"", """{"pids": null}""", """, "arraySize": 3""")), concurrency: 4);

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Cancel_of_a_running_job_kills_its_process_tree_within_a_second_and_the_record_stays_CANCELLED()
    {
        var pids = _work.File("tree.pids");
        var sent = await _stack.SendAsync("tree", new { pids });
        await Eventually.WaitForAsync(() => ProcessProbe.Read(pids).Count == 2, TimeSpan.FromSeconds(30), "the job's two processes");
        var tree = ProcessProbe.Read(pids);

        var clock = Stopwatch.StartNew();
        using var response = await CancelAsync(sent.TriggerId, """{"reason": "Wrong input file.", "client": "ops-console"}""");
        var cancelled = TestStack.Parse(await response.Content.ReadAsStringAsync());
        await Eventually.WaitForAsync(() => tree.All(p => !ProcessProbe.IsAlive(p)), TimeSpan.FromSeconds(5), "the process tree gone");
        var gone = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TriggerStatus.CANCELLED, cancelled.Status);
        Assert.Equal("Wrong input file.", cancelled.StatusReason);
        Assert.Equal("ops-console", cancelled.CancelledBy);
        Assert.NotNull(cancelled.CancelRequestedAt);
        Assert.True(gone < TimeSpan.FromSeconds(1), $"the process tree was gone {gone.TotalMilliseconds:0} ms after the cancel was sent");

        // The Batch job's FAILED (terminated) event comes later and must not move the record.
        await Eventually.WaitForAsync(async () => await HistoryStatusAsync(sent.TriggerId), s => s == "ABORTED", TimeSpan.FromSeconds(10), "the execution aborted");
        await Task.Delay(300);
        var after = await _stack.GetAsync(sent.TriggerId);
        Assert.Equal(TriggerStatus.CANCELLED, after.Status);
        Assert.Equal("Wrong input file.", after.StatusReason);
        var history = JsonNode.Parse(await _stack.Client.GetStringAsync($"/triggers/{sent.TriggerId}/history"))!;
        var last = history["events"]!.AsArray()[^1]!;
        Assert.Equal("ExecutionAborted", (string?)last["type"]);
    }

    [Fact]
    public async Task Cancel_without_a_body_uses_the_default_reason_and_no_client()
    {
        var sent = await _stack.SendAsync("tree", new { pids = _work.File("default.pids") });
        using var response = await _stack.Client.PostAsync($"/triggers/{sent.TriggerId}/cancel", null);
        var record = TestStack.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TriggerStatus.CANCELLED, record.Status);
        Assert.Equal(TriggerCancelRequest.DefaultReason, record.StatusReason);
        Assert.Null(record.CancelledBy);
    }

    [Fact]
    public async Task A_second_cancel_answers_the_same_record_with_the_first_reason()
    {
        var sent = await _stack.SendAsync("tree", new { pids = _work.File("twice.pids") });
        using var first = await CancelAsync(sent.TriggerId, """{"reason": "first", "client": "a"}""");
        using var second = await CancelAsync(sent.TriggerId, """{"reason": "second", "client": "b"}""");
        var one = TestStack.Parse(await first.Content.ReadAsStringAsync());
        var two = TestStack.Parse(await second.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("first", two.StatusReason);
        Assert.Equal("a", two.CancelledBy);
        Assert.Equal(one.Version, two.Version);
        Assert.Equal(one.CancelRequestedAt, two.CancelRequestedAt);
    }

    [Fact]
    public async Task Two_cancels_at_once_both_answer_the_one_CANCELLED_record()
    {
        var pids = _work.File("race.pids");
        var sent = await _stack.SendAsync("tree", new { pids });
        await Eventually.WaitForAsync(() => ProcessProbe.Read(pids).Count == 2, TimeSpan.FromSeconds(30), "the job's processes");

        var answers = await Task.WhenAll(CancelAsync(sent.TriggerId, """{"reason": "x"}"""), CancelAsync(sent.TriggerId, """{"reason": "y"}"""));
        var records = await Task.WhenAll(answers.Select(async a => TestStack.Parse(await a.Content.ReadAsStringAsync())));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(records[0].Version, records[1].Version);
        Assert.Equal(records[0].StatusReason, records[1].StatusReason);
        await Eventually.WaitForAsync(() => ProcessProbe.Read(pids).All(p => !ProcessProbe.IsAlive(p)), TimeSpan.FromSeconds(1), "the process tree gone");
        foreach (var a in answers) a.Dispose();
    }

    [Fact]
    public async Task Cancel_right_after_the_send_while_the_job_is_starting_leaves_no_process_and_no_other_status()
    {
        var files = Enumerable.Range(0, 6).Select(i => _work.File($"starting-{i}.pids")).ToList();
        var sent = new List<TriggerRecord>();
        for (var i = 0; i < files.Count; i++)
        {
            var record = await _stack.SendAsync("tree", new { pids = files[i] });
            sent.Add(record);
            if (i > 0) await Task.Delay(i * 15); // cancels land at different points of the start
            using var response = await CancelAsync(record.TriggerId, "");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Task.Delay(1500);
        foreach (var (record, file) in sent.Zip(files))
        {
            var now = await _stack.GetAsync(record.TriggerId);
            Assert.Equal(TriggerStatus.CANCELLED, now.Status);
            Assert.All(ProcessProbe.Read(file), p => Assert.False(ProcessProbe.IsAlive(p), $"process {p} of trigger {record.TriggerId} outlived the cancel"));
            var status = await HistoryStatusAsync(record.TriggerId);
            Assert.True(status is null or "ABORTED", $"execution of {record.TriggerId} is {status}");
        }
    }

    [Fact]
    public async Task Cancel_while_the_job_ends_answers_either_CANCELLED_or_409_and_the_record_agrees()
    {
        for (var i = 0; i < 8; i++)
        {
            var sent = await _stack.SendAsync("quick");
            await Task.Delay(i * 40);
            using var response = await CancelAsync(sent.TriggerId, "");
            var final = await _stack.WaitForFinalAsync(sent.TriggerId);
            await Task.Delay(100);
            var settled = await _stack.GetAsync(sent.TriggerId);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(TriggerStatus.CANCELLED, settled.Status);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Equal(TriggerStatus.SUCCEEDED, settled.Status);
            }
            Assert.Equal(final.Status, settled.Status);
        }
    }

    [Fact]
    public async Task Cancel_of_a_trigger_that_ended_is_409_TriggerAlreadyFinal_naming_its_status()
    {
        var sent = await _stack.SendAsync("quick");
        await _stack.WaitForFinalAsync(sent.TriggerId);
        using var response = await CancelAsync(sent.TriggerId, "");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(ErrorCodes.TriggerAlreadyFinal, (string?)error["code"]);
        Assert.Equal($"Trigger {sent.TriggerId} already ended with status SUCCEEDED; only a trigger that has not ended can be cancelled.", (string?)error["message"]);
        Assert.Equal(TriggerStatus.SUCCEEDED, (await _stack.GetAsync(sent.TriggerId)).Status);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_trigger_is_404()
    {
        using var response = await CancelAsync("no-such-trigger", "");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ErrorCodes.TriggerNotFound, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    [Theory]
    [InlineData("""{"reason": "x", "who": "y"}""", "who")]
    [InlineData("""{"reason": "line\nbreak"}""", "control characters")]
    [InlineData("""{"reason": 3}""", "must be a string")]
    [InlineData("""[1]""", "JSON object")]
    [InlineData("""{"reason": """, "not valid JSON")]
    public async Task A_bad_cancel_body_is_400_and_changes_nothing(string body, string expected)
    {
        var sent = await _stack.SendAsync("tree", new { pids = _work.File("bad.pids") });
        using var response = await CancelAsync(sent.TriggerId, body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, text);
        Assert.NotEqual(TriggerStatus.CANCELLED, (await _stack.GetAsync(sent.TriggerId)).Status);
        using var _ = await CancelAsync(sent.TriggerId, "");
    }

    [Fact]
    public async Task A_cancel_reason_over_1000_characters_is_400()
    {
        var sent = await _stack.SendAsync("tree", new { pids = _work.File("long.pids") });
        using var response = await CancelAsync(sent.TriggerId, new JsonObject { ["reason"] = new string('r', 1001) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit is 1000", await response.Content.ReadAsStringAsync());
        using var _ = await CancelAsync(sent.TriggerId, "");
    }

    [Fact]
    public async Task Cancel_of_an_array_job_kills_every_child_and_the_record_stays_CANCELLED()
    {
        var pids = _work.File("array.pids");
        var sent = await _stack.SendAsync("trees", new { pids });
        await Eventually.WaitForAsync(() => ProcessProbe.Read(pids).Count == 6, TimeSpan.FromSeconds(30), "three children with two processes each");
        var all = ProcessProbe.Read(pids);

        using var response = await CancelAsync(sent.TriggerId, "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.WaitForAsync(() => all.All(p => !ProcessProbe.IsAlive(p)), TimeSpan.FromSeconds(1), "every child's process tree gone");
        await Eventually.WaitForAsync(async () => await HistoryStatusAsync(sent.TriggerId), s => s == "ABORTED", TimeSpan.FromSeconds(10), "the execution aborted");
        Assert.Equal(TriggerStatus.CANCELLED, (await _stack.GetAsync(sent.TriggerId)).Status);
    }

    private Task<HttpResponseMessage> CancelAsync(string triggerId, string body) =>
        _stack.Client.PostAsync($"/triggers/{triggerId}/cancel", body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<string?> HistoryStatusAsync(string triggerId) =>
        (string?)JsonNode.Parse(await _stack.Client.GetStringAsync($"/triggers/{triggerId}/history"))!["status"];
}
