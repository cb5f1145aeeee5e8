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

    [Fact]
    public async Task A_cancel_cut_short_by_a_crash_is_finished_at_restart_its_process_tree_killed_and_its_job_never_run_again()
    {
        var runs = _folder.File("runs.txt");
        File.WriteAllText(runs, "");
        // Each run appends "start <pid>" and "child <pid>" (a tree of two), then waits; retries are allowed, so only
        // the cancel can keep an interrupted run from running again.
        var catalog = _folder.Write("catalog.json", "{\"jobs\": [" + Jobs.Shell("hold",
            "echo \"start $$\" >> \"$1\"; sleep 60 & echo \"child $!\" >> \"$1\"; wait", "\"Ref::file\"",
            $$"""{"file": {{JsonSerializer.Serialize(runs)}}}""", """, "retryStrategy": {"attempts": 3}""") + "]}");
        var data = _folder.File("data");
        var readyFile = _folder.File("ready.json");
        string[] Args() => new[] { "serve", "--data", data, "--catalog", catalog, "--ready-file", readyFile };
        IReadOnlyList<int> Pids() => File.ReadAllLines(runs).Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        string id;
        using (var first = StackProcess.Start(Args()))
        {
            using var client = Client(await first.WaitUntilReadyAsync(readyFile));
            using var response = await client.PostAsJsonAsync("/triggers", new JsonObject { ["jobName"] = "hold" });
            id = TestStack.Parse(await response.Content.ReadAsStringAsync()).TriggerId;
            await Eventually.WaitForAsync(() => File.ReadAllLines(runs).Length == 2, TimeSpan.FromSeconds(60), "the job's two processes");

            // The cancel's first step (CANCELLED stored), then the stack dies before it kills the job's processes.
            using (var database = BatchPs.LocalStack.Storage.LocalDatabase.Open(data))
            using (var store = new BatchPs.LocalStack.Storage.TriggerStore(database))
            {
                var (outcome, _) = await store.CancelAsync(id, "Wrong input file.", "tester");
                Assert.Equal(BatchPs.LocalStack.Storage.TriggerCancelOutcome.Cancelled, outcome);
            }
            File.Delete(readyFile);
            first.KillHard();
        }
        var tree = Pids();
        Assert.All(tree, pid => Assert.True(ProcessProbe.IsAlive(pid), $"process {pid} did not outlive the stack"));

        using (var second = StackProcess.Start(Args()))
        {
            using var client = Client(await second.WaitUntilReadyAsync(readyFile));
            Assert.All(tree, pid => Assert.False(ProcessProbe.IsAlive(pid), $"process {pid} of the cancelled trigger survived the restart"));

            var history = await Eventually.WaitForAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/triggers/{id}/history"))!,
                h => (string?)h["events"]!.AsArray()[^1]!["type"] == "ExecutionAborted", TimeSpan.FromSeconds(10), "the execution aborted");
            Assert.Contains("Wrong input file.", (string?)history["events"]!.AsArray()[^1]!["cause"]);
            var record = TestStack.Parse(await client.GetStringAsync("/triggers/" + id));
            Assert.Equal(TriggerStatus.CANCELLED, record.Status);
            Assert.Equal("Wrong input file.", record.StatusReason);

            await Task.Delay(1000);
            Assert.Single(File.ReadAllLines(runs), l => l.StartsWith("start ", StringComparison.Ordinal));
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "batchps.db")};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT status, json_extract(detail, '$.statusReason') FROM batch_jobs";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal("FAILED", reader.GetString(0));
            Assert.StartsWith("Terminated: Wrong input file.", reader.GetString(1));
            Assert.False(reader.Read());
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
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
