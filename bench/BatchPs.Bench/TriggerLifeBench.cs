using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using BatchPs.Core.Triggers;
using BatchPs.LocalStack.Storage;

namespace BatchPs.Bench;

/// <summary>
/// Issue 9's figures on the local stack: POST cancel -> the job's processes gone (p99 under 1 s, goal 200 ms); one page of
/// the 50 newest triggers of a job and status among 100,000 (p99 under 50 ms); one 1,000-line page of a 100 MB log (p99
/// under 50 ms) and the stack's RSS growth while the whole log is paged through (under 32 MB).
/// </summary>
internal static class TriggerLifeBench
{
    private const string Jobs = """
        {"name": "tree", "command": ["sh", "-c", "sleep 60 & echo $! >> \"$1\"; echo $$ >> \"$1\"; wait", "sh", "Ref::pids"], "parameters": {"pids": null}},
        {"name": "big-log", "command": ["sh", "-c", "yes 'the quick brown fox jumps over the lazy dog, a line of about one hundred bytes in the log of a job' | head -n 1000000"]}
        """;

    public static async Task<List<(string Name, string Value, string Target, bool? Met)>> RunAsync(string dll)
    {
        var rows = new List<(string, string, string, bool?)>();
        await using var stack = await LocalStackProcess.StartAsync(dll, Jobs, SeedAsync);
        using var http = stack.CreateClient(4);

        // Cancel -> every process of the job gone.
        var cancel = new List<double>();
        var folder = Directory.CreateTempSubdirectory("batchps-bench-pids-").FullName;
        for (var i = 0; i < 30; i++)
        {
            var pidFile = Path.Combine(folder, $"{i}.pids");
            var sent = await PostAsync(http, "/triggers", new JsonObject { ["jobName"] = "tree", ["parameters"] = new JsonObject { ["pids"] = pidFile } });
            var id = (string)sent["triggerId"]!;
            var pids = new List<int>();
            while (pids.Count < 2)
            {
                await Task.Delay(10);
                pids = File.Exists(pidFile) ? File.ReadAllLines(pidFile).Where(l => int.TryParse(l, out _)).Select(int.Parse).ToList() : pids;
            }
            var clock = Stopwatch.StartNew();
            using (var response = await http.PostAsync($"/triggers/{id}/cancel", null)) response.EnsureSuccessStatusCode();
            while (pids.Any(IsAlive)) await Task.Delay(1);
            cancel.Add(clock.Elapsed.TotalMilliseconds);
        }
        rows.Add(("cancel -> process tree gone p50", Ms(cancel.Percentile(50)), "", null));
        rows.Add(("cancel -> process tree gone p99", Ms(cancel.Percentile(99)), "< 1000 ms (goal 200)", cancel.Percentile(99) < 1000));

        // The 50 newest of one job and status among 100,000.
        var list = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var clock = Stopwatch.StartNew();
            var page = JsonNode.Parse(await http.GetStringAsync("/triggers?jobName=export&status=FAILED&limit=50"))!;
            list.Add(clock.Elapsed.TotalMilliseconds);
            if (page["triggers"]!.AsArray().Count != 50) throw new InvalidOperationException("The list page did not hold 50 triggers.");
        }
        rows.Add(("list: 50 newest of a job+status among 100,000 p50", Ms(list.Skip(20).ToList().Percentile(50)), "", null));
        rows.Add(("list: 50 newest of a job+status among 100,000 p99", Ms(list.Skip(20).ToList().Percentile(99)), "< 50 ms", list.Skip(20).ToList().Percentile(99) < 50));

        // A 100 MB log, paged through.
        var big = (string)(await PostAsync(http, "/triggers", new JsonObject { ["jobName"] = "big-log" }))["triggerId"]!;
        while (true)
        {
            var record = JsonNode.Parse(await http.GetStringAsync("/triggers/" + big))!;
            if ((string?)record["status"] is "SUCCEEDED" or "FAILED") break;
            await Task.Delay(200);
        }
        var logBytes = new FileInfo((string)JsonNode.Parse(await http.GetStringAsync($"/triggers/{big}/log?limit=1"))!["logLocation"]!).Length;
        GC.Collect();
        var rssBefore = Rss(stack.ProcessId);
        long rssPeak = rssBefore, lines = 0;
        var pages = new List<double>();
        string? token = null;
        do
        {
            var clock = Stopwatch.StartNew();
            var page = JsonNode.Parse(await http.GetStringAsync($"/triggers/{big}/log?limit=1000" + (token is null ? "" : "&nextToken=" + token)))!;
            pages.Add(clock.Elapsed.TotalMilliseconds);
            lines += page["events"]!.AsArray().Count;
            token = (string?)page["nextToken"];
            if (pages.Count % 50 == 0) rssPeak = Math.Max(rssPeak, Rss(stack.ProcessId));
        }
        while (token is not null);
        rssPeak = Math.Max(rssPeak, Rss(stack.ProcessId));
        rows.Add(($"log: {logBytes / 1024 / 1024} MB, {lines:N0} lines in {pages.Count:N0} pages of 1,000", "", "", null));
        rows.Add(("log: one 1,000-line page p50", Ms(pages.Percentile(50)), "", null));
        rows.Add(("log: one 1,000-line page p99", Ms(pages.Percentile(99)), "< 50 ms", pages.Percentile(99) < 50));
        var growth = (rssPeak - rssBefore) / 1024.0 / 1024.0;
        rows.Add(("log: stack RSS growth paging the whole log", $"{growth:F1} MB", "< 32 MB", growth < 32));
        Directory.Delete(folder, recursive: true);
        return rows;
    }

    /// <summary>100,000 ended triggers of 10 jobs and 4 statuses, written through the stack's own store before it starts.</summary>
    private static async Task SeedAsync(string dataDirectory)
    {
        using var database = LocalDatabase.Open(dataDirectory);
        using var store = new TriggerStore(database);
        var jobs = new[] { "export", "import", "report", "sync", "load", "clean", "index", "mail", "audit", "backup" };
        var statuses = new[] { TriggerStatus.SUCCEEDED, TriggerStatus.FAILED, TriggerStatus.CANCELLED, TriggerStatus.REJECTED };
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var all = Enumerable.Range(0, 100_000).Select(i => new TriggerRecord
        {
            TriggerId = Guid.NewGuid().ToString("N"),
            JobName = jobs[i % jobs.Length],
            IdempotencyKey = "seed-" + i,
            Status = statuses[i / jobs.Length % statuses.Length],
            CreatedAt = start.AddSeconds(i * 20),
            UpdatedAt = start,
            StatusChangedAt = start,
            Version = 1,
        });
        foreach (var chunk in all.Chunk(1000)) await Task.WhenAll(chunk.Select(store.InsertAsync));
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(" ", StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private static string Ms(double ms) => $"{ms:F1} ms";
}
