using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class CleanStopTests
{
    [Fact]
    public async Task A_clean_stop_leaves_no_write_ahead_log_behind()
    {
        var stack = await TestStack.StartAsync(Jobs.Shell("quick", "echo hi"));
        var folder = stack.Folder;
        var wal = Path.Combine(stack.DataDirectory, "batchps.db-wal");
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 5; i++) ids.Add((await stack.SendAsync("quick")).TriggerId);
            foreach (var id in ids) Assert.Equal(TriggerStatus.SUCCEEDED, (await stack.WaitForFinalAsync(id)).Status);
            // Reads through the pooled read-only connections, as clients do.
            await stack.Client.GetStringAsync("/triggers");
            Assert.True(new FileInfo(wal).Length > 0, "the test wrote nothing to the write-ahead log");

            stack.Client.Dispose();
            await stack.Server.DisposeAsync();

            var left = File.Exists(wal) ? new FileInfo(wal).Length : 0;
            Assert.True(left == 0, $"a clean stop left {left} bytes of write-ahead log");
        }
        finally
        {
            await stack.Server.DisposeAsync();
            folder.Dispose();
        }
    }
}
