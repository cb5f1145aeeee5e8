using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Tests;

/// <summary>
/// An ended execution's history is stored compacted (one compressed array in <c>executions.events</c>, no event rows)
/// and answers exactly what the event rows answered: the rows of a running execution, and of executions that ended
/// under an earlier version.
/// </summary>
public sealed class HistoryCompactionTests
{
    private static readonly string JobsJson = string.Join(",",
        Jobs.Shell("ok", "echo done"),
        Jobs.Shell("bad", "echo failing >&2; exit 4"),
        Jobs.Shell("long", "sleep 30"));

    [Fact]
    public async Task An_ended_execution_answers_the_same_history_from_its_compacted_events_as_from_its_event_rows()
    {
        var stack = await TestStack.StartAsync(JobsJson);
        var folder = stack.Folder;
        var dataDirectory = stack.DataDirectory;
        var database = $"Data Source={Path.Combine(dataDirectory, "batchps.db")};Pooling=False";
        // Keep a copy of every event row the stack deletes: the history exactly as it was stored before compaction.
        using (var connection = new SqliteConnection(database))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE deleted_events (name TEXT NOT NULL, id INTEGER NOT NULL, event TEXT NOT NULL);
                CREATE TRIGGER keep_deleted_events BEFORE DELETE ON execution_events
                BEGIN INSERT INTO deleted_events (name, id, event) VALUES (old.name, old.id, old.event); END;
                """;
            command.ExecuteNonQuery();
        }
        var ids = new List<string>();
        var compacted = new Dictionary<string, string>();
        await using (new StopOnly(stack))
        {
            var ok = (await stack.SendAsync("ok")).TriggerId;
            var bad = (await stack.SendAsync("bad")).TriggerId;
            var cancelled = (await stack.SendAsync("long")).TriggerId;
            await Eventually.WaitForAsync(() => stack.GetAsync(cancelled), r => r.Status == BatchPs.Core.Triggers.TriggerStatus.RUNNING, TimeSpan.FromSeconds(60), "long job running");
            using (var cancel = await stack.Client.PostAsync($"/triggers/{cancelled}/cancel", null)) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            ids.AddRange([ok, bad, cancelled]);
            foreach (var id in ids)
                compacted[id] = await WaitForEndedHistoryTextAsync(stack, id);
            Assert.Equal("SUCCEEDED", (string?)JsonNode.Parse(compacted[ok])!["status"]);
            Assert.Equal("FAILED", (string?)JsonNode.Parse(compacted[bad])!["status"]);
            Assert.Equal("ABORTED", (string?)JsonNode.Parse(compacted[cancelled])!["status"]);
        }

        // Every ended execution is compacted: no event rows left, its blob a fraction of the rows' text.
        Assert.Equal(0, TestStack.CountRows(dataDirectory, "execution_events"));
        using (var connection = new SqliteConnection(database))
        {
            connection.Open();
            foreach (var id in ids)
            {
                var rows = new List<string>();
                using (var read = connection.CreateCommand())
                {
                    read.CommandText = "SELECT event FROM deleted_events WHERE name = $name ORDER BY id";
                    read.Parameters.AddWithValue("$name", id);
                    using var reader = read.ExecuteReader();
                    while (reader.Read()) rows.Add(reader.GetString(0));
                }
                var ended = JsonNode.Parse(compacted[id])!["events"]!.AsArray();
                Assert.Equal(rows.Count, ended.Count);
                for (var i = 0; i < rows.Count; i++)
                    Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rows[i]), ended[i]), $"event {i + 1} of {id}: stored {rows[i]}, answered {ended[i]!.ToJsonString()}");
                using var size = connection.CreateCommand();
                size.CommandText = "SELECT length(events) FROM executions WHERE name = $name";
                size.Parameters.AddWithValue("$name", id);
                var blobBytes = (long)size.ExecuteScalar()!;
                Assert.True(blobBytes * 4 < rows.Sum(r => r.Length), $"{id}: compacted {blobBytes} bytes, rows {rows.Sum(r => r.Length)} characters");
            }
            // Put the rows back and drop the compacted form: the layout of executions that ended under an earlier version.
            using var restore = connection.CreateCommand();
            restore.CommandText = """
                DROP TRIGGER keep_deleted_events;
                INSERT INTO execution_events (name, id, event) SELECT name, id, event FROM deleted_events;
                UPDATE executions SET events = NULL;
                """;
            restore.ExecuteNonQuery();
        }

        await using var again = await TestStack.StartInAsync(folder, JobsJson);
        foreach (var id in ids)
        {
            using var response = await again.Client.GetAsync($"/triggers/{id}/history");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(compacted[id], await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Stops a stack and keeps its folder (the next stack on it owns it).</summary>
    private sealed class StopOnly(TestStack stack) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            stack.Client.Dispose();
            await stack.Server.DisposeAsync();
        }
    }

    private static async Task<string> WaitForEndedHistoryTextAsync(TestStack stack, string triggerId) =>
        await Eventually.WaitForAsync(async () =>
        {
            using var response = await stack.Client.GetAsync($"/triggers/{triggerId}/history");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }, text => (string?)JsonNode.Parse(text)!["status"] is not (null or "RUNNING"), TimeSpan.FromSeconds(60), $"execution of {triggerId} ended");
}
