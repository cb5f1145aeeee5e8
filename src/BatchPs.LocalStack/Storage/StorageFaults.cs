using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The one place that tells the local stack's own storage failing (the database or a log file could not be written)
/// from anything else, and a full disk from other storage failures.
/// </summary>
internal static class StorageFaults
{
    /// <summary>SQLite's result code for "database or disk is full".</summary>
    public const int SqliteFull = 13;

    /// <summary>Linux's and macOS's "No space left on device" (ENOSPC): .NET puts the errno in an IOException's HResult.</summary>
    private const int Enospc = 28;

    /// <summary>Windows' ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL, as HResults.</summary>
    private const int HandleDiskFull = unchecked((int)0x80070027);
    private const int DiskFull = unchecked((int)0x80070070);

    /// <summary>Whether <paramref name="exception"/> is the database or a file of the data folder failing to be read or written.</summary>
    public static bool IsStorageFailure(Exception exception) => exception is SqliteException or IOException;

    /// <summary>Whether <paramref name="exception"/> (or an exception inside it) says the disk is full.</summary>
    public static bool IsDiskFull(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull }) return true;
            if (e is IOException io && (io.HResult is HandleDiskFull or DiskFull || (!OperatingSystem.IsWindows() && io.HResult == Enospc)))
                return true;
        }
        return false;
    }
}
