using BatchPs.LocalStack.Storage;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Tests;

public sealed class LocalDatabaseUpgradeTests
{
    [Fact]
    public void A_data_folder_of_the_earlier_schema_gets_the_checkpoint_and_idempotency_columns()
    {
        using var folder = new TestFolder();
        using (var old = new SqliteConnection($"Data Source={folder.File(LocalDatabase.FileName)};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE executions (name TEXT PRIMARY KEY, execution_id TEXT NOT NULL, status TEXT NOT NULL, input TEXT NOT NULL,
                    batch_job_id TEXT, started_at TEXT NOT NULL, stopped_at TEXT, error TEXT);
                CREATE TABLE batch_jobs (job_id TEXT PRIMARY KEY, job_name TEXT NOT NULL, parent_id TEXT, status TEXT NOT NULL,
                    created_at INTEGER NOT NULL, detail TEXT NOT NULL, spec TEXT NOT NULL);
                INSERT INTO executions (name, execution_id, status, input, started_at) VALUES ('old', 'id', 'RUNNING', '{}', '2026-01-01');
                """;
            command.ExecuteNonQuery();
        }

        using (LocalDatabase.Open(folder.Path))
        {
        }

        using var connection = new SqliteConnection($"Data Source={folder.File(LocalDatabase.FileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal(new[] { "checkpoint", "result", "transition_count" }, Columns(connection, "executions").Intersect(new[] { "checkpoint", "result", "transition_count" }).Order());
        Assert.Contains("idempotency_token", Columns(connection, "batch_jobs"));
        Assert.Equal(1, TestStack.CountRows(folder.Path, "executions"));
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }
}
