using BatchPs.LocalStack.Storage;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Tests;

public sealed class StorageFaultsTests
{
    [Fact]
    public void A_write_to_a_full_device_is_a_full_disk()
    {
        if (!File.Exists("/dev/full")) return; // Linux's always-full device; elsewhere the HResult cases are Windows'.
        var error = Assert.ThrowsAny<IOException>(() => File.WriteAllBytes("/dev/full", new byte[] { 1 }));
        Assert.True(StorageFaults.IsDiskFull(error), $"{error.GetType().Name} HResult {error.HResult}: {error.Message}");
        Assert.True(StorageFaults.IsDiskFull(new InvalidOperationException("wrapped", error)));
    }

    [Fact]
    public void SQLITE_FULL_is_a_full_disk_and_other_storage_errors_are_not()
    {
        Assert.True(StorageFaults.IsDiskFull(new SqliteException("database or disk is full", StorageFaults.SqliteFull)));
        Assert.False(StorageFaults.IsDiskFull(new SqliteException("database is locked", 5)));
        Assert.False(StorageFaults.IsDiskFull(Assert.ThrowsAny<IOException>(() => File.ReadAllBytes("/nonexistent-" + Guid.NewGuid()))));
        Assert.True(StorageFaults.IsStorageFailure(new SqliteException("database is locked", 5)));
        Assert.False(StorageFaults.IsStorageFailure(new InvalidOperationException("not storage")));
    }
}
