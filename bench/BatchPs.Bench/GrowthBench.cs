using System.Diagnostics;
using System.Globalization;
using BatchPs.Core.Triggers;

namespace BatchPs.Bench;

/// <summary>
/// Issue 12's figures: 10,000 no-op triggers on one local stack, then the data folder's bytes per trigger (database,
/// WAL and job logs) and the stack's RSS. Run it with <c>--localstack</c> on two builds to compare their storage.
/// </summary>
internal static class GrowthBench
{
    public static async Task<List<(string Name, string Value, string Target, bool? Met)>> RunAsync(string dll, int triggers)
    {
        var rows = new List<(string, string, string, bool?)>();
        await using var stack = await LocalStackProcess.StartAsync(dll);
        using var http = stack.CreateClient(16);
        var data = stack.DataDirectory;
        var empty = Measure(data);

        // Send them from 16 clients back to back, then wait until each is final.
        var clock = Stopwatch.StartNew();
        var ids = new string[triggers];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < triggers)
                ids[i] = (await Api.SendAsync(http, "noop")).TriggerId;
        }));
        var sent = clock.Elapsed;
        var notSucceeded = 0;
        foreach (var id in ids)
        {
            var record = await Api.GetAsync(http, id);
            while (!record.IsFinal)
            {
                await Task.Delay(100);
                record = await Api.GetAsync(http, id);
            }
            if (record.Status != TriggerStatus.SUCCEEDED) notSucceeded++;
        }
        var done = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3)); // the last executions write their end after the record is final
        GC.Collect();
        var full = Measure(data);
        var rss = stack.Rss;

        var per = (Func<long, string>)(bytes => $"{(double)bytes / triggers:N0} B");
        rows.Add(($"growth: {triggers:N0} no-op triggers sent / all final", $"{sent.TotalSeconds:F0} s / {done.TotalSeconds:F0} s", "", null));
        rows.Add(("growth: triggers not SUCCEEDED", notSucceeded.ToString(CultureInfo.InvariantCulture), "0", notSucceeded == 0));
        rows.Add(("growth: database per trigger (batchps.db)", per(full.Database - empty.Database), "", null));
        rows.Add(("growth: WAL at the end (batchps.db-wal; bounded, not per trigger)", $"{full.Wal / 1024.0 / 1024.0:F1} MB", "", null));
        rows.Add(("growth: job logs per trigger (files; folders apart)", per(full.LogFiles - empty.LogFiles), "", null));
        rows.Add(("growth: log folders", full.LogFolders.ToString("N0", CultureInfo.InvariantCulture), "", null));
        var total = full.Database + full.Wal + full.LogFiles - (empty.Database + empty.Wal + empty.LogFiles);
        rows.Add(("growth: database + WAL + log files per trigger", per(total), "", null));
        rows.Add(($"growth: stack RSS after {triggers:N0} triggers", $"{rss / 1024.0 / 1024.0:F0} MB", "", null));
        return rows;
    }

    private sealed record Sizes(long Database, long Wal, long LogFiles, int LogFolders);

    private static Sizes Measure(string data)
    {
        long Size(string name) => File.Exists(Path.Combine(data, name)) ? new FileInfo(Path.Combine(data, name)).Length : 0;
        var logs = Path.Combine(data, "logs");
        var files = Directory.Exists(logs) ? Directory.EnumerateFiles(logs, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        var folders = Directory.Exists(logs) ? Directory.GetDirectories(logs).Length : 0;
        return new Sizes(Size("batchps.db"), Size("batchps.db-wal"), files, folders);
    }
}
