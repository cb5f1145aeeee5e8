using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task After_kill_9_and_restart_every_accepted_trigger_finishes_once_and_no_job_runs_twice_at_once()
    {
        var runs = _folder.File("runs.txt");
        var release = _folder.File("release");
        File.WriteAllText(runs, "");
        // Each run appends "start <trigger> <pid>"; a "hold" run then waits until the test creates the
        // release file (so a run the crash interrupted cannot finish before the restart settles it);
        // then it appends "end <trigger> <pid>".
        var catalog = _folder.Write("catalog.json", "{\"jobs\": [" + Jobs.Shell("work",
            "echo \"start $BATCHPS_TRIGGER_ID $$\" >> \"$1\"; if [ \"$2\" = hold ]; then while [ ! -e \"$3\" ]; do sleep 0.05; done; fi; echo \"end $BATCHPS_TRIGGER_ID $$\" >> \"$1\"",
            "\"Ref::file\", \"Ref::mode\", \"Ref::release\"",
            $$"""{"file": {{JsonSerializer.Serialize(runs)}}, "release": {{JsonSerializer.Serialize(release)}}, "mode": "hold"}""",
            """, "retryStrategy": {"attempts": 3}""") + "]}");
        var data = _folder.File("data");
        var readyFile = _folder.File("ready.json");
        string[] Args() => new[] { "serve", "--data", data, "--catalog", catalog, "--concurrency", "3", "--ready-file", readyFile };

        var quick = new List<string>();
        var held = new List<string>();
        using (var first = StackProcess.Start(Args()))
        {
            using var client = Client(await first.WaitUntilReadyAsync(readyFile));
            for (var i = 0; i < 2; i++) quick.Add(await SendAsync(client, "quick"));
            foreach (var id in quick)
            {
                await Eventually.WaitForAsync(async () => TestStack.Parse(await client.GetStringAsync("/triggers/" + id)), r => r.IsFinal,
                    TimeSpan.FromSeconds(60), $"quick trigger {id} final");
            }
            for (var i = 0; i < 5; i++) held.Add(await SendAsync(client, "hold"));

            // Kill while three runs are in progress and two more are accepted but not started.
            await Eventually.WaitForAsync(() => File.ReadAllLines(runs).Count(l => l.StartsWith("start ", StringComparison.Ordinal)) >= 5,
                TimeSpan.FromSeconds(60), "three runs in progress");
            File.Delete(readyFile);
            first.KillHard();
        }

        var ids = quick.Concat(held).ToList();
        using (var second = StackProcess.Start(Args()))
        {
            using var client = Client(await second.WaitUntilReadyAsync(readyFile));
            await Eventually.WaitForAsync(() => second.Output.Contains("Recovered: 3 interrupted attempt(s) settled"), TimeSpan.FromSeconds(10), "the recovery summary");
            File.WriteAllText(release, "go");
            foreach (var id in ids)
            {
                var final = await Eventually.WaitForAsync(
                    async () => TestStack.Parse(await client.GetStringAsync("/triggers/" + id)), r => r.IsFinal, TimeSpan.FromSeconds(90), $"trigger {id} final");
                Assert.True(final.Status == TriggerStatus.SUCCEEDED, $"{id}: {final.Status} {final.StatusReason}");
            }
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var records = File.ReadAllLines(runs).Select(l => l.Split(' ')).ToList();
        foreach (var id in ids)
        {
            var mine = records.Where(r => r[1] == id).ToList();
            var ends = mine.Where(r => r[0] == "end").ToList();
            // Exactly one run completed: an interrupted run was killed before it could finish.
            Assert.True(ends.Count == 1, $"{id} completed {ends.Count} runs:\n" + File.ReadAllText(runs));
            var end = ends[0];
            // The completed run is the last one started, and nothing of this trigger started after it.
            var lastStart = mine.FindLastIndex(r => r[0] == "start");
            Assert.Equal(end[2], mine[lastStart][2]);
            Assert.Equal(lastStart + 1, mine.IndexOf(end));
        }
        Assert.Equal(ids.Count, records.Count(r => r[0] == "end"));
        // The quick runs finished before the crash and never ran again; three held runs were interrupted and ran again.
        Assert.All(quick, id => Assert.Single(records, r => r[1] == id && r[0] == "start"));
        Assert.Equal(3, held.Count(id => records.Count(r => r[1] == id && r[0] == "start") == 2));
    }

    private static HttpClient Client(Uri endpoint)
    {
        var client = new HttpClient { BaseAddress = endpoint };
        client.DefaultRequestHeaders.Add("x-api-key", TestStack.ApiKey);
        return client;
    }

    private static async Task<string> SendAsync(HttpClient client, string mode)
    {
        using var response = await client.PostAsJsonAsync("/triggers", new JsonObject { ["jobName"] = "work", ["parameters"] = new JsonObject { ["mode"] = mode } });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return TestStack.Parse(await response.Content.ReadAsStringAsync()).TriggerId;
    }
}
