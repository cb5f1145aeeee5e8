using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.LocalStack.Batch;

namespace BatchPs.LocalStack.Tests;

/// <summary>GET /triggers/{id}/log on a real stack, and the log file's paging on a 100 MB file.</summary>
public sealed class TriggerLogTests : IAsyncLifetime
{
    private readonly TestFolder _work = new();
    private TestStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await TestStack.StartAsync(string.Join(",\n",
            Jobs.Shell("lines", "i=1; while [ $i -le 25 ]; do echo \"line $i\"; i=$((i+1)); done; echo oops >&2"),
            Jobs.Shell("drip", "i=1; while [ $i -le 6 ]; do echo \"drip $i\"; i=$((i+1)); sleep 0.2; done"),
            Jobs.Shell("twice", "echo \"try $AWS_BATCH_JOB_ATTEMPT\"; exit 5", "", "{}", """, "retryStrategy": {"attempts": 2}"""),
            Jobs.Shell("fan", "echo \"child $AWS_BATCH_JOB_ARRAY_INDEX\"", "", "{}", """, "arraySize": 2""")));

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task The_log_pages_forward_with_a_time_on_every_line_until_a_null_token()
    {
        var sent = await _stack.SendAsync("lines");
        await _stack.WaitForFinalAsync(sent.TriggerId);
        var messages = new List<string>();
        var times = new List<DateTimeOffset>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await GetAsync($"/triggers/{sent.TriggerId}/log?limit=10" + (token is null ? "" : "&nextToken=" + token));
            Assert.Equal(1, (int)page["attempt"]!);
            Assert.Equal(1, (int)page["attempts"]!);
            Assert.EndsWith("attempt-1.log", (string?)page["logLocation"]);
            foreach (var e in page["events"]!.AsArray())
            {
                messages.Add((string)e!["message"]!);
                times.Add(DateTimeOffset.Parse((string)e["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
            }
            token = (string?)page["nextToken"];
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(26, messages.Count);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"line {i}"), messages.Where(m => m != "oops"));
        Assert.Contains("oops", messages);
        Assert.All(times, t => Assert.True(t > sent.CreatedAt.AddSeconds(-1) && t < DateTimeOffset.UtcNow.AddSeconds(1), $"time {t:O}"));
    }

    [Fact]
    public async Task FromTail_gives_the_last_lines()
    {
        var sent = await _stack.SendAsync("lines");
        await _stack.WaitForFinalAsync(sent.TriggerId);
        var page = await GetAsync($"/triggers/{sent.TriggerId}/log?limit=3&fromTail=true");
        var whole = await GetAsync($"/triggers/{sent.TriggerId}/log?limit=100");
        var messages = page["events"]!.AsArray().Select(e => (string?)e!["message"]).ToList();
        var all = whole["events"]!.AsArray().Select(e => (string?)e!["message"]).ToList();
        // Where stderr's "oops" falls among stdout's lines depends on which pipe the stack read first: compare with the log read forward.
        Assert.Equal(26, all.Count);
        Assert.Equal(all.Skip(23), messages);
        Assert.Null(page["nextToken"]);
    }

    [Fact]
    public async Task A_follower_polling_with_the_last_token_reads_every_line_of_a_running_job_once()
    {
        var sent = await _stack.SendAsync("drip");
        var messages = new List<string>();
        string? token = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var page = await GetAsync($"/triggers/{sent.TriggerId}/log" + (token is null ? "" : "?nextToken=" + token));
            messages.AddRange(page["events"]!.AsArray().Select(e => (string)e!["message"]!));
            var next = (string?)page["nextToken"];
            if (next is null && (await _stack.GetAsync(sent.TriggerId)).IsFinal && (int)page["attempts"]! > 0) break;
            token = next ?? token;
            await Task.Delay(100);
        }
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"drip {i}"), messages);
    }

    [Fact]
    public async Task Attempt_picks_a_retry_and_one_that_does_not_exist_is_400_naming_the_range()
    {
        var sent = await _stack.SendAsync("twice");
        await _stack.WaitForFinalAsync(sent.TriggerId);
        var latest = await GetAsync($"/triggers/{sent.TriggerId}/log");
        var first = await GetAsync($"/triggers/{sent.TriggerId}/log?attempt=1");
        Assert.Equal(2, (int)latest["attempts"]!);
        Assert.Equal("try 2", (string?)latest["events"]![0]!["message"]);
        Assert.Equal("try 1", (string?)first["events"]![0]!["message"]);

        using var response = await _stack.Client.GetAsync($"/triggers/{sent.TriggerId}/log?attempt=3");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("attempts 1..2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_array_parent_is_400_ArrayParent_and_child_reads_a_child()
    {
        var sent = await _stack.SendAsync("fan");
        await _stack.WaitForFinalAsync(sent.TriggerId);
        using var response = await _stack.Client.GetAsync($"/triggers/{sent.TriggerId}/log");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.ArrayParent, (string?)error["code"]);
        Assert.Contains("child=0..1", (string?)error["message"]);

        var child = await GetAsync($"/triggers/{sent.TriggerId}/log?child=1");
        Assert.Equal("child 1", (string?)child["events"]![0]!["message"]);
    }

    [Fact]
    public async Task A_trigger_without_a_job_yet_has_an_empty_log_and_unknown_ids_are_404()
    {
        using var missing = await _stack.Client.GetAsync("/triggers/nope/log");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var badLimit = await _stack.Client.GetAsync("/triggers/nope/log?limit=10001");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task A_cloud_stacks_log_token_is_refused_not_read_from_the_start()
    {
        var sent = await _stack.SendAsync("lines");
        await _stack.WaitForFinalAsync(sent.TriggerId);
        var cloudToken = new TriggerLogQuery().EncodeToken(1, "f/38000000000000000000000000000000000000000000000000000000");
        using var answer = await _stack.Client.GetAsync($"/triggers/{sent.TriggerId}/log?nextToken={cloudToken}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("'nextToken' is not a token this server wrote", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_100_MB_log_pages_through_in_bounded_memory()
    {
        var path = _work.File("big.log");
        var text = Encoding.UTF8.GetBytes(new string('x', 90));
        long lines = 0;
        using (var file = new FileStream(path, FileMode.Create))
        {
            var time = DateTimeOffset.UtcNow;
            while (file.Length < 100L * 1024 * 1024)
            {
                var line = JobLog.Line(time, Encoding.UTF8.GetBytes($"{lines:D9} ").Concat(text).ToArray());
                file.Write(line);
                lines++;
            }
        }
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long offset = 0, read = 0, peak = 0;
        while (true)
        {
            var (events, next, atEnd) = JobLog.ReadForward(path, offset, 1000, growing: false);
            Assert.True(events.Count is > 0 and <= 1000);
            Assert.Equal($"{read:D9} ", events[0].Message[..10]);
            read += events.Count;
            offset = next;
            if (read % 100_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            if (atEnd) break;
        }
        Assert.Equal(lines, read);
        // One page holds at most 1,000 lines and 1 MiB of text; nothing is kept between pages.
        Assert.True(peak < 4 * 1024 * 1024, $"the managed heap grew {peak / 1024} KiB while paging through 100 MB");
        var (tail, _) = JobLog.ReadTail(path, 1000, growing: false);
        Assert.Equal($"{lines - 1:D9} ", tail[^1].Message[..10]);
        Assert.Equal(1000, tail.Count);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await _stack.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
