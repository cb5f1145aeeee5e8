using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The data folder of one local stack, opened before anything is written into it: created owner-only
/// (see <see cref="OwnerOnly"/>), locked for the life of the process, and checked — writable, and its
/// database neither read-only, truncated, damaged nor lost while <c>logs/</c> holds earlier jobs. Every
/// problem is an <see cref="IOException"/> whose message names the file and the fix (the program exits 3).
/// </summary>
/// <remarks>
/// The lock: on Linux and macOS an exclusive <c>flock</c> on the folder itself, which deleting
/// <c>DATA/lock</c> cannot take away; everywhere <c>DATA/lock</c>, open for writing with others allowed only
/// to read it (the holder's process id, for the message; on Windows an open file cannot be deleted, and
/// the earlier versions' exclusive lock on it keeps them off too). The operating system drops both when
/// the process ends, <c>kill -9</c> included. Two stacks on one folder would run the same jobs twice.
/// </remarks>
internal sealed class DataFolder : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string LockFileName = "lock";

    /// <summary>The job logs' folder name (one folder per job inside).</summary>
    public const string LogsFolderName = "logs";

    private readonly FolderLock _folderLock;
    private readonly FileStream _lockFile;

    private DataFolder(string path, FolderLock folderLock, FileStream lockFile)
    {
        Path = path;
        _folderLock = folderLock;
        _lockFile = lockFile;
    }

    /// <summary>The folder (full path).</summary>
    public string Path { get; }

    /// <summary>The job logs' folder.</summary>
    public string LogsPath => System.IO.Path.Combine(Path, LogsFolderName);

    /// <summary>
    /// Creates (mode 0700) and locks the folder, then checks that it is writable. Throws
    /// <see cref="IOException"/> when another stack holds it or it cannot be used.
    /// </summary>
    public static DataFolder Open(string dataDirectory)
    {
        var path = System.IO.Path.GetFullPath(dataDirectory);
        try
        {
            OwnerOnly.CreateDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the data folder '{path}': {ex.Message} Pass a --data folder you can write to.", ex);
        }

        var folderLock = FolderLock.Acquire(path);
        FileStream? lockFile = null;
        try
        {
            lockFile = OpenLockFile(path);
            lockFile.SetLength(0);
            using (var writer = new StreamWriter(lockFile, leaveOpen: true)) writer.Write(Environment.ProcessId);
            lockFile.Flush();
            CheckWritable(path);
            foreach (var ours in new[] { LocalDatabase.FileName, LocalDatabase.FileName + "-wal", LocalDatabase.FileName + "-shm", "api-key", LogsFolderName })
                OwnerOnly.Tighten(System.IO.Path.Combine(path, ours));
            return new DataFolder(path, folderLock, lockFile);
        }
        catch
        {
            lockFile?.Dispose();
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks the database file before SQLite touches it (read-only, truncated beside a WAL, lost while
    /// <c>logs/</c> holds jobs), runs <c>PRAGMA quick_check</c> on it, then opens it.
    /// </summary>
    public LocalDatabase OpenDatabase()
    {
        var file = System.IO.Path.Combine(Path, LocalDatabase.FileName);
        foreach (var part in new[] { file, file + "-wal", file + "-shm" })
            CheckWritableFile(part);

        var size = File.Exists(file) ? new FileInfo(file).Length : 0;
        var walSize = File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0;
        if (size == 0 && walSize > 0)
        {
            // SQLite would take the empty file as a new database and delete the WAL with everything in it.
            throw new IOException($"The database '{file}' is empty but its write-ahead log '{file}-wal' holds {walSize} bytes: the database file was truncated or replaced. " +
                $"Restore '{file}' from a backup (keep the -wal file beside it), or move the data folder away and start with a new --data folder.");
        }
        if (size > 0) CheckIntegrity(file);
        var jobsRecorded = size > 0 ? CountRecordedJobs(file) : 0;
        var jobLogs = Directory.Exists(LogsPath) ? Directory.GetDirectories(LogsPath).Length : 0;
        if (jobsRecorded == 0 && jobLogs > 0)
        {
            throw new IOException($"The database '{file}' {(size == 0 ? (File.Exists(file) ? "is empty (0 bytes)" : "is missing") : "records no jobs")} but '{LogsPath}' holds the logs of {jobLogs} earlier job(s): " +
                $"the database that recorded them was lost or truncated, and their triggers would answer 404. Restore '{file}' from a backup; " +
                $"or, to start afresh on purpose, move '{LogsPath}' away (or pass a new --data folder).");
        }
        return LocalDatabase.Open(Path);
    }

    public void Dispose()
    {
        _lockFile.Dispose();
        _folderLock.Dispose();
    }

    private static FileStream OpenLockFile(string path)
    {
        var file = System.IO.Path.Combine(path, LockFileName);
        try
        {
            // Others may read the holder's process id; none may write it, nor (on Windows) delete it. Earlier versions
            // lock it exclusively, so they and this one keep off each other's folders.
            return OwnerOnly.OpenFile(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw NotWritable(path, ex);
        }
        catch (IOException ex)
        {
            throw InUse(path, ex);
        }
    }

    private static void CheckWritable(string path)
    {
        var probe = System.IO.Path.Combine(path, $".write-check-{Environment.ProcessId}");
        try
        {
            OwnerOnly.OpenFile(probe, FileMode.Create, FileAccess.Write, FileShare.None).Dispose();
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, ex);
        }
    }

    private static void CheckWritableFile(string file)
    {
        if (!File.Exists(file)) return;
        try
        {
            // No SQLite connection is open yet, so closing this handle cannot drop SQLite's locks.
            new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite).Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The database file '{file}' is not writable ({ex.Message}); the stack records every trigger in it. " +
                "Make it writable by the user running the stack (chmod u+w, or chown), or pass another --data folder.", ex);
        }
    }

    /// <summary>
    /// <c>PRAGMA quick_check</c>: reads every page and checks the b-trees (not the index contents);
    /// about a second per 100 MB (see the README).
    /// </summary>
    private static void CheckIntegrity(string file)
    {
        var problems = new List<string>();
        try
        {
            using var connection = Connect(file);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(5);";
            using var reader = command.ExecuteReader();
            while (reader.Read()) problems.Add(reader.GetString(0));
        }
        catch (SqliteException ex)
        {
            problems.Add(ex.Message);
        }
        if (problems.Count == 1 && problems[0] == "ok") return;
        throw new IOException($"The database '{file}' is damaged (PRAGMA quick_check: {string.Join("; ", problems)}). " +
            $"Restore it from a backup, or salvage what is readable with 'sqlite3 {file} .recover | sqlite3 recovered.db' and put recovered.db in its place; " +
            "or pass a new --data folder.");
    }

    private static long CountRecordedJobs(string file)
    {
        using var connection = Connect(file);
        using var command = connection.CreateCommand();
        // Jobs whose rows the record retention deleted while their log folders wait in log_deletions count too: a crash
        // between the two must not look like a lost database.
        command.CommandText = "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'batch_jobs') THEN (SELECT COUNT(*) FROM (SELECT 1 FROM batch_jobs LIMIT 1)) ELSE 0 END" +
            " + CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log_deletions') THEN (SELECT COUNT(*) FROM (SELECT 1 FROM log_deletions LIMIT 1)) ELSE 0 END;";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException ex)
        {
            throw new IOException($"Cannot read the database '{file}': {ex.Message} Restore it from a backup, or pass a new --data folder.", ex);
        }
    }

    private static SqliteConnection Connect(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static IOException InUse(string path, Exception? inner)
    {
        var holder = "";
        try
        {
            using var file = new FileStream(System.IO.Path.Combine(path, LockFileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            holder = new StreamReader(file).ReadToEnd().Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable while locked on some systems.
        }
        return new IOException($"Another local stack{(holder.Length > 0 ? $" (process {holder})" : "")} is using the data folder '{path}'. Stop it, or pass a different --data folder.", inner);
    }

    private static IOException NotWritable(string path, Exception inner) =>
        new($"The data folder '{path}' is not writable ({inner.Message}); the stack keeps its database, job logs and lock there. " +
            "Make it writable by the user running the stack (chmod u+w, or chown), or pass another --data folder.", inner);

    /// <summary>The <c>flock</c> on the folder itself (Linux and macOS); nothing elsewhere.</summary>
    private sealed class FolderLock : IDisposable
    {
        private const int LockExclusive = 2;
        private const int LockNonBlocking = 4;
        private int _fd;

        private FolderLock(int fd) => _fd = fd;

        public static FolderLock Acquire(string path)
        {
            // O_RDONLY | O_CLOEXEC: job processes must not inherit the lock (it would outlive the stack).
            var flags = OperatingSystem.IsLinux() ? 0x80000 : OperatingSystem.IsMacOS() ? 0x1000000 : -1;
            if (flags < 0) return new FolderLock(-1);
            var fd = open(path, flags);
            if (fd < 0)
                throw new IOException($"Cannot open the data folder '{path}': {Marshal.GetLastPInvokeErrorMessage()}. Pass a --data folder you can read and write.");
            if (flock(fd, LockExclusive | LockNonBlocking) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                var message = Marshal.GetLastPInvokeErrorMessage();
                _ = close(fd);
                // EWOULDBLOCK is 11 on Linux, 35 on macOS.
                if (error == (OperatingSystem.IsLinux() ? 11 : 35)) throw InUse(path, null);
                throw new IOException($"Cannot lock the data folder '{path}': {message}. Pass a --data folder on a local disk.");
            }
            return new FolderLock(fd);
        }

        public void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0) _ = close(fd);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int flock(int fd, int operation);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }
}
