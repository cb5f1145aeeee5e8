using System.Net;
using BatchPs.Core.Triggers;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Tests;

/// <summary>
/// RecordRetentionDays on a real stack: a final trigger older than the retention goes with everything recorded for it
/// (rows of every table and its jobs' log folders); newer and unfinished ones stay; a sweep's unfinished log deletions
/// are finished at the next start.
/// </summary>
public sealed class RecordRetentionTests
{
    private static readonly string JobsJson = string.Join(",",
        Jobs.Shell("ok", "echo done"),
        Jobs.Shell("bad", "echo failing >&2; exit 4"),
        Jobs.Shell("fan", "echo child $AWS_BATCH_JOB_ARRAY_INDEX", more: """, "arraySize": 2"""),
        Jobs.Shell("long", "sleep 30"));

    private static void Often(Hosting.LocalStackOptions options)
    {
        options.RecordRetentionDays = 1;
        options.RecordRetentionSweepInterval = TimeSpan.FromMilliseconds(200);
    }

    [Fact]
    public async Task A_sweep_with_nothing_expired_takes_no_write()
    {
        // A sweep that committed an empty transaction anyway raced the stack's first POST for the writer (seen as a
        // fault test's commit count landing on the wrong write).
        await using var stack = await TestStack.StartAsync(JobsJson, configure: Often);
        var commits = 0;
        var writer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Storage.LocalDatabase>(stack.Server.Services).Writer;
        writer.CommitFault = () =>
        {
            Interlocked.Increment(ref commits);
            return null;
        };
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // seven sweeps at 200 ms
        writer.CommitFault = null;
        Assert.Equal(0, Volatile.Read(ref commits));
    }

    [Fact]
    public async Task Final_triggers_created_before_the_retention_go_with_their_rows_and_logs_while_newer_and_unfinished_ones_stay()
    {
        await using var stack = await TestStack.StartAsync(JobsJson, concurrency: 4, configure: Often);
        var ok = await stack.SendAsync("ok", idempotencyKey: "retention-old-ok");
        var bad = await stack.SendAsync("bad");
        var fan = await stack.SendAsync("fan");
        var cancelled = await stack.SendAsync("long");
        var running = await stack.SendAsync("long");
        var fresh = await stack.SendAsync("ok");
        await Eventually.WaitForAsync(() => stack.GetAsync(cancelled.TriggerId), r => r.Status == TriggerStatus.RUNNING, TimeSpan.FromSeconds(60), "long job running");
        using (var cancel = await stack.Client.PostAsync($"/triggers/{cancelled.TriggerId}/cancel", null)) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var expired = new[] { ok, bad, fan, cancelled }.Select(r => r.TriggerId).ToArray();
        var ended = new Dictionary<string, TriggerRecord>();
        foreach (var id in expired.Append(fresh.TriggerId)) ended[id] = await stack.WaitForFinalAsync(id);
        await Eventually.WaitForAsync(() => stack.GetAsync(running.TriggerId), r => r.Status == TriggerStatus.RUNNING, TimeSpan.FromSeconds(60), "second long job running");
        foreach (var id in ended.Keys) await WaitForExecutionEndAsync(stack, id);
        var logFolders = ended.ToDictionary(e => e.Key, e => Path.Combine(stack.DataDirectory, "logs", e.Value.BatchJobId!));
        Assert.All(logFolders.Values, folder => Assert.True(Directory.Exists(folder), folder));
        Assert.True(Directory.Exists(Path.Combine(logFolders[fan.TriggerId], "1")), "the array child's log folder");
        var runningJob = (await stack.GetAsync(running.TriggerId)).BatchJobId!;

        // Two days old: past the one-day retention. The running trigger too, which must stay.
        Backdate(stack.DataDirectory, DateTimeOffset.UtcNow.AddDays(-2), [.. expired, running.TriggerId]);

        foreach (var id in expired)
        {
            await Eventually.WaitForAsync(async () =>
            {
                using var response = await stack.Client.GetAsync("/triggers/" + id);
                return response.StatusCode;
            }, status => status == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), $"trigger {id} deleted");
            foreach (var path in new[] { "/history", "/log" })
            {
                using var response = await stack.Client.GetAsync($"/triggers/{id}{path}");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }
        await Eventually.WaitForAsync(() => logFolders.Where(f => expired.Contains(f.Key)).All(f => !Directory.Exists(f.Value)), TimeSpan.FromSeconds(30), "expired triggers' log folders deleted");

        // Nothing of them is left in any table; the new and the unfinished triggers are whole.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(stack.DataDirectory, "batchps.db")};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            foreach (var id in expired)
            {
                Assert.Equal(0, Count(connection, "SELECT COUNT(*) FROM triggers WHERE trigger_id = $p", id));
                Assert.Equal(0, Count(connection, "SELECT COUNT(*) FROM executions WHERE name = $p", id));
                Assert.Equal(0, Count(connection, "SELECT COUNT(*) FROM execution_events WHERE name = $p", id));
                Assert.Equal(0, Count(connection, "SELECT COUNT(*) FROM applied_updates WHERE instr(invocation_id, $p) > 0", id));
                Assert.Equal(0, Count(connection, "SELECT COUNT(*) FROM batch_jobs WHERE instr(job_name, $p) > 0 OR instr(detail, $p) > 0", id));
            }
            Assert.Equal(0, Count(connection, "SELECT COUNT(*) FROM log_deletions", ""));
            foreach (var id in new[] { fresh.TriggerId, running.TriggerId })
            {
                Assert.Equal(1, Count(connection, "SELECT COUNT(*) FROM executions WHERE name = $p", id));
                Assert.True(Count(connection, "SELECT COUNT(*) FROM applied_updates WHERE instr(invocation_id, $p) > 0", id) > 0, $"{id}'s applied updates");
                Assert.True(Count(connection, "SELECT COUNT(*) FROM batch_jobs WHERE instr(detail, $p) > 0", id) > 0, $"{id}'s jobs");
            }
        }
        Assert.Equal(TriggerStatus.SUCCEEDED, (await stack.GetAsync(fresh.TriggerId)).Status);
        Assert.True(Directory.Exists(logFolders[fresh.TriggerId]));
        Assert.Equal(TriggerStatus.RUNNING, (await stack.GetAsync(running.TriggerId)).Status);
        Assert.True(Directory.Exists(Path.Combine(stack.DataDirectory, "logs", runningJob)));

        // The idempotency key of a deleted trigger is free again: the same request makes a new trigger, as after the cloud's TTL.
        using (var again = await stack.PostRawAsync("""{"jobName": "ok", "idempotencyKey": "retention-old-ok"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.False(again.Headers.Contains("BatchPs-Idempotent-Replay"));
            Assert.NotEqual(ok.TriggerId, TestStack.Parse(await again.Content.ReadAsStringAsync()).TriggerId);
        }
    }

    [Fact]
    public async Task Log_folders_whose_rows_a_sweep_deleted_before_a_crash_are_deleted_at_the_next_start()
    {
        var stack = await TestStack.StartAsync(JobsJson, configure: Often);
        var sent = await stack.SendAsync("ok");
        var jobId = (await stack.WaitForFinalAsync(sent.TriggerId)).BatchJobId!;
        await WaitForExecutionEndAsync(stack, sent.TriggerId);
        var folder = stack.Folder;
        var dataDirectory = stack.DataDirectory;
        stack.Client.Dispose();
        await stack.Server.DisposeAsync();

        // What a sweep's commit leaves when the process dies before it deleted the folders: no job rows, the folders listed.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "batchps.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO log_deletions (job_id) SELECT job_id FROM batch_jobs WHERE parent_id IS NULL; DELETE FROM batch_jobs;";
            command.ExecuteNonQuery();
        }
        Assert.True(Directory.Exists(Path.Combine(dataDirectory, "logs", jobId)));

        // The start is not refused as a lost database, and the folder goes.
        await using var restarted = await TestStack.StartInAsync(folder, JobsJson);
        await Eventually.WaitForAsync(() => !Directory.Exists(Path.Combine(dataDirectory, "logs", jobId)), TimeSpan.FromSeconds(30), "the listed log folder deleted");
        await Eventually.WaitForAsync(() => TestStack.CountRows(dataDirectory, "log_deletions") == 0, TimeSpan.FromSeconds(30), "log_deletions emptied");
    }

    private static void Backdate(string dataDirectory, DateTimeOffset createdAt, IEnumerable<string> triggerIds)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "batchps.db")};Pooling=False;Default Timeout=30");
        connection.Open();
        foreach (var id in triggerIds)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE triggers SET created_at = $created, doc = json_set(doc, '$.createdAt', $created) WHERE trigger_id = $id";
            command.Parameters.AddWithValue("$created", createdAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, command.ExecuteNonQuery());
        }
    }

    private static async Task WaitForExecutionEndAsync(TestStack stack, string triggerId) =>
        await Eventually.WaitForAsync(async () =>
        {
            using var response = await stack.Client.GetAsync($"/triggers/{triggerId}/history");
            return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]?.GetValue<string>();
        }, status => status is not (null or "RUNNING"), TimeSpan.FromSeconds(60), $"execution of {triggerId} ended");

    private static long Count(SqliteConnection connection, string sql, string parameter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        return (long)command.ExecuteScalar()!;
    }
}
