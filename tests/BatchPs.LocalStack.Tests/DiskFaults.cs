using BatchPs.LocalStack.Hosting;
using BatchPs.LocalStack.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BatchPs.LocalStack.Tests;

/// <summary>
/// A full disk for a while, through the database writer's fault seam: while on, every commit fails with the
/// SqliteException SQLite raises when the disk is full (SQLITE_FULL, 13) and is rolled back.
/// </summary>
internal sealed class DiskFaults
{
    private readonly SqliteWriter _writer;
    private int _failed;

    public DiskFaults(LocalStackServer server)
    {
        _writer = server.Services.GetRequiredService<LocalDatabase>().Writer;
    }

    /// <summary>How many commits failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    public void Fill() => FillAfter(0);

    /// <summary>Lets the next <paramref name="commits"/> commits through, then fails <paramref name="failing"/> (all by default).</summary>
    public void FillAfter(int commits, int failing = int.MaxValue)
    {
        var seen = 0;
        _writer.CommitFault = () =>
        {
            var index = Interlocked.Increment(ref seen);
            if (index <= commits || index - commits > failing) return null;
            Interlocked.Increment(ref _failed);
            return new SqliteException("SQLite Error 13: 'database or disk is full'.", StorageFaults.SqliteFull);
        };
    }

    public void Free() => _writer.CommitFault = null;
}
