using System.Net;
using BatchPs.Core.Triggers;
using BatchPs.LocalStack.Hosting;
using BatchPs.LocalStack.Storage;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Tests;

/// <summary>Start-up on odd data folders: each is refused with exit code 3 and a message naming the file and the fix, never a crash.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderTests : IDisposable
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly TestFolder _folder = new();

    private string Data => _folder.File("data");

    private string Database => Path.Combine(Data, LocalDatabase.FileName);

    public void Dispose()
    {
        if (Directory.Exists(Data) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(Data, FolderMode);
        _folder.Dispose();
    }

    [Fact]
    public async Task A_read_only_data_folder_without_a_key_file_exits_3_naming_the_folder()
    {
        Directory.CreateDirectory(Data);
        File.SetUnixFileMode(Data, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        using var stack = StackProcess.StartWith(apiKey: null, obeyFileModes: true, umask: null, "serve", "--data", Data);

        Assert.Equal(3, await stack.WaitForExitAsync(ExitTimeout));
        Assert.Contains($"The data folder '{Data}' is not writable", stack.Output);
        Assert.DoesNotContain("Unhandled exception", stack.Output);
    }

    [Fact]
    public async Task A_read_only_database_is_refused_at_start_instead_of_answering_every_POST_500()
    {
        using (LocalDatabase.Open(Data))
        {
        }
        File.SetUnixFileMode(Database, UnixFileMode.UserRead);

        using var stack = StackProcess.StartWith(TestStack.ApiKey, obeyFileModes: true, umask: null, "serve", "--data", Data);

        Assert.Equal(3, await stack.WaitForExitAsync(ExitTimeout));
        Assert.Contains($"The database file '{Database}' is not writable", stack.Output);
    }

    [Fact]
    public async Task A_database_truncated_beside_its_WAL_exits_3_saying_it_is_damaged()
    {
        WriteCrashImage(walRows: 200);
        Truncate(Database, new FileInfo(Database).Length / 2);

        using var stack = StackProcess.StartWith(TestStack.ApiKey, obeyFileModes: false, umask: null, "serve", "--data", Data);

        Assert.Equal(3, await stack.WaitForExitAsync(ExitTimeout));
        Assert.Contains($"The database '{Database}' is damaged (PRAGMA quick_check:", stack.Output);
        Assert.DoesNotContain("Unhandled exception", stack.Output);
    }

    [Fact]
    public async Task A_database_emptied_beside_its_WAL_is_refused_before_SQLite_discards_the_WAL()
    {
        WriteCrashImage(walRows: 200);
        Truncate(Database, 0);
        var walSize = new FileInfo(Database + "-wal").Length;

        var error = await Assert.ThrowsAsync<IOException>(() => StartAsync());

        Assert.Contains($"The database '{Database}' is empty but its write-ahead log '{Database}-wal' holds {walSize} bytes", error.Message);
        Assert.Equal(walSize, new FileInfo(Database + "-wal").Length);
    }

    [Fact]
    public async Task Corrupt_pages_in_the_middle_of_the_database_are_found_at_start()
    {
        WriteCrashImage(walRows: 0);
        using (var file = new FileStream(Database, System.IO.FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2 / 4096 * 4096;
            file.Write(Enumerable.Repeat((byte)0x5A, 4 * 4096).ToArray());
        }

        var error = await Assert.ThrowsAsync<IOException>(() => StartAsync());

        Assert.Contains($"The database '{Database}' is damaged (PRAGMA quick_check:", error.Message);
        Assert.Contains(".recover", error.Message);
    }

    [Fact]
    public async Task An_emptied_database_while_logs_hold_earlier_jobs_is_refused_not_taken_as_new()
    {
        var stack = await TestStack.StartInAsync(_folder, Jobs.Shell("hi", "echo hi"));
        var sent = await stack.SendAsync("hi");
        Assert.Equal(TriggerStatus.SUCCEEDED, (await stack.WaitForFinalAsync(sent.TriggerId)).Status);
        await stack.Server.DisposeAsync();
        stack.Client.Dispose();
        Truncate(Database, 0);
        File.Delete(Database + "-wal");
        File.Delete(Database + "-shm");

        var error = await Assert.ThrowsAsync<IOException>(() => StartAsync());

        Assert.True(error.Message.Contains($"The database '{Database}' is empty (0 bytes) but '{Path.Combine(Data, "logs")}' holds the logs of 1 earlier job(s)", StringComparison.Ordinal), error.Message);
        File.Delete(Database);
        error = await Assert.ThrowsAsync<IOException>(() => StartAsync());
        Assert.Contains("is missing but", error.Message);
    }

    [Fact]
    public async Task A_stack_that_loses_the_lock_writes_no_key_file()
    {
        using var holder = DataFolder.Open(Data);

        using var loser = StackProcess.StartWith(apiKey: null, obeyFileModes: false, umask: null, "serve", "--data", Data);

        Assert.Equal(3, await loser.WaitForExitAsync(ExitTimeout));
        Assert.Contains($"Another local stack (process {Environment.ProcessId}) is using the data folder '{Data}'", loser.Output);
        Assert.False(File.Exists(Path.Combine(Data, "api-key")), "the loser wrote DATA/api-key");
    }

    [Fact]
    public async Task Two_stacks_started_at_once_on_a_new_folder_leave_one_whose_key_file_is_its_key()
    {
        for (var round = 0; round < 3; round++)
        {
            var data = _folder.File("race-" + round);
            var readyFiles = new[] { _folder.File($"ready-{round}-a.json"), _folder.File($"ready-{round}-b.json") };
            var stacks = readyFiles.Select(ready => StackProcess.StartWith(apiKey: null, obeyFileModes: false, umask: null, "serve", "--data", data, "--ready-file", ready)).ToArray();
            try
            {
                await Eventually.WaitForAsync(() => stacks.Select((s, i) => s.HasExited || File.Exists(readyFiles[i])).All(done => done), TimeSpan.FromSeconds(60), "both stacks to start or stop");
                var winner = Array.FindIndex(readyFiles, File.Exists);
                Assert.True(winner >= 0, "neither stack started: " + stacks[0].Output + stacks[1].Output);
                var loser = stacks[1 - winner];
                Assert.Equal(3, await loser.WaitForExitAsync(ExitTimeout));
                Assert.Contains("is using the data folder", loser.Output);

                using var client = new HttpClient { BaseAddress = await stacks[winner].WaitUntilReadyAsync(readyFiles[winner]) };
                client.DefaultRequestHeaders.Add("x-api-key", File.ReadAllText(Path.Combine(data, "api-key")));
                using var response = await client.GetAsync("/triggers/none");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
            finally
            {
                foreach (var stack in stacks) stack.Dispose();
            }
        }
    }

    [Fact]
    public async Task Deleting_the_lock_file_does_not_let_a_second_stack_onto_a_folder_in_use()
    {
        await using var first = await StartAsync();
        File.Delete(Path.Combine(Data, DataFolder.LockFileName));

        using var second = StackProcess.StartWith(TestStack.ApiKey, obeyFileModes: false, umask: null, "serve", "--data", Data);

        Assert.Equal(3, await second.WaitForExitAsync(ExitTimeout));
        Assert.Contains($"is using the data folder '{Data}'", second.Output);
    }

    [Fact]
    public async Task Data_folder_database_key_and_job_logs_are_owner_only_under_a_umask_of_000()
    {
        var readyFile = _folder.File("ready.json");
        using var stack = StackProcess.StartWith(apiKey: null, obeyFileModes: false, umask: "000", "serve", "--data", Data, "--ready-file", readyFile);
        var endpoint = await stack.WaitUntilReadyAsync(readyFile);
        using var client = new HttpClient { BaseAddress = endpoint };
        client.DefaultRequestHeaders.Add("x-api-key", File.ReadAllText(Path.Combine(Data, "api-key")));
        using var post = await client.PostAsync("/triggers", new StringContent("""{"jobName": "noop"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = TestStack.Parse(await post.Content.ReadAsStringAsync()).TriggerId;
        var final = await Eventually.WaitForAsync(async () => TestStack.Parse(await client.GetStringAsync("/triggers/" + id)), r => r.IsFinal, TimeSpan.FromSeconds(60), "noop to finish");

        var jobLogs = Path.GetDirectoryName(final.LogLocation)!;
        foreach (var folder in new[] { Data, Path.Combine(Data, "logs"), jobLogs })
            Assert.True(File.GetUnixFileMode(folder) == FolderMode, $"{folder} is {File.GetUnixFileMode(folder)}");
        foreach (var file in new[] { Database, Database + "-wal", Database + "-shm", Path.Combine(Data, "api-key"), Path.Combine(Data, "lock"), final.LogLocation! })
            Assert.True(File.GetUnixFileMode(file) == FileMode, $"{file} is {File.GetUnixFileMode(file)}");
    }

    private Task<LocalStackServer> StartAsync() => LocalStackServer.StartAsync(new LocalStackOptions
    {
        DataDirectory = Data,
        CatalogPath = LocalStackOptions.SampleCatalogPath,
        Concurrency = 1,
        ApiKey = TestStack.ApiKey,
    });

    /// <summary>
    /// A database as a crash leaves it: about 1 MB of checkpointed jobs in <c>batchps.db</c> and, copied while the
    /// connection is still open, <paramref name="walRows"/> more rows only in <c>batchps.db-wal</c>.
    /// </summary>
    private void WriteCrashImage(int walRows)
    {
        var scratch = _folder.File("scratch");
        using (LocalDatabase.Open(scratch))
        {
        }
        var file = Path.Combine(scratch, LocalDatabase.FileName);
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        Insert(connection, 0, 2000);
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Insert(connection, 2000, walRows);
        Directory.CreateDirectory(Data);
        File.Copy(file, Database);
        if (walRows > 0) File.Copy(file + "-wal", Database + "-wal");
    }

    private static void Truncate(string file, long length)
    {
        using var stream = new FileStream(file, System.IO.FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }

    private static void Insert(SqliteConnection connection, int first, int count)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO batch_jobs (job_id, job_name, parent_id, status, created_at, detail, spec) VALUES ($id, 'noop', NULL, 'SUCCEEDED', 0, $detail, '{}')";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.AddWithValue("$detail", new string('d', 500));
        for (var i = first; i < first + count; i++)
        {
            id.Value = "job-" + i;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
