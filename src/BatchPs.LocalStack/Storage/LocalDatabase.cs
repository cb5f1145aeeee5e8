using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The local stack's SQLite file (<c>batchps.db</c> in the data folder) in WAL mode with
/// <c>synchronous=FULL</c>, so a committed write survives a crash or power loss. One writer
/// connection (see <see cref="SqliteWriter"/>) and pooled read connections.
/// </summary>
internal sealed class LocalDatabase : IDisposable
{
    /// <summary>The file name inside the data folder.</summary>
    public const string FileName = "batchps.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS triggers (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            trigger_id TEXT NOT NULL UNIQUE,
            idempotency_key TEXT NOT NULL UNIQUE,
            job_name TEXT NOT NULL,
            status TEXT NOT NULL,
            status_rank INTEGER NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS triggers_by_status ON triggers (status_rank, status);
        CREATE INDEX IF NOT EXISTS triggers_by_created_id ON triggers (created_at, trigger_id);
        CREATE INDEX IF NOT EXISTS triggers_by_job_created ON triggers (job_name, created_at, trigger_id);
        CREATE INDEX IF NOT EXISTS triggers_by_status_created ON triggers (status, created_at, trigger_id);
        CREATE TABLE IF NOT EXISTS feed_checkpoints (
            consumer TEXT PRIMARY KEY,
            seq INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS executions (
            name TEXT PRIMARY KEY,
            execution_id TEXT NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            started_at TEXT NOT NULL,
            stopped_at TEXT,
            transition_count INTEGER NOT NULL DEFAULT 0,
            checkpoint TEXT,
            result TEXT,
            events BLOB
        );
        CREATE INDEX IF NOT EXISTS executions_by_status ON executions (status);
        CREATE TABLE IF NOT EXISTS execution_events (
            name TEXT NOT NULL,
            id INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY (name, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS batch_jobs (
            job_id TEXT PRIMARY KEY,
            job_name TEXT NOT NULL,
            parent_id TEXT,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            detail TEXT NOT NULL,
            spec TEXT NOT NULL,
            idempotency_token TEXT
        );
        CREATE INDEX IF NOT EXISTS batch_jobs_by_status ON batch_jobs (status);
        CREATE INDEX IF NOT EXISTS batch_jobs_by_parent ON batch_jobs (parent_id);
        CREATE TABLE IF NOT EXISTS applied_updates (
            invocation_id TEXT PRIMARY KEY,
            response TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS log_deletions (
            job_id TEXT PRIMARY KEY
        ) WITHOUT ROWID;
        """;

    private readonly string _readConnectionString;

    private LocalDatabase(string path, SqliteConnection writerConnection)
    {
        Path = path;
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Writer = new SqliteWriter(writerConnection);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The single writer (group commit).</summary>
    public SqliteWriter Writer { get; }

    /// <summary>
    /// Opens (creating when needed) the database in <paramref name="dataDirectory"/>. A new database file
    /// is created mode 0600 before SQLite opens it, so its WAL and shared-memory files (which SQLite
    /// creates with the database file's mode) are owner-only too. <see cref="DataFolder.OpenDatabase"/>
    /// checks the file first; this does not.
    /// </summary>
    public static LocalDatabase Open(string dataDirectory)
    {
        OwnerOnly.CreateDirectory(dataDirectory);
        var path = System.IO.Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) OwnerOnly.OpenFile(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite).Dispose();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=FULL;");
            Execute(connection, "PRAGMA foreign_keys=ON;");
            Execute(connection, Schema);
            Upgrade(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new IOException($"Cannot open the database '{path}': {ex.Message} Pass another --data folder, or move the damaged file away.", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new LocalDatabase(path, connection);
    }

    /// <summary>A prepared command on the writer's connection, for use inside <see cref="SqliteWriter.WriteAsync{T}"/>; parameters in the order given.</summary>
    public SqliteCommand PrepareWrite(string sql, params string[] parameters)
    {
        var command = Writer.Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    /// <summary>Opens a pooled read-only connection; dispose it to return it to the pool.</summary>
    public SqliteConnection OpenRead()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Closes the database: the pooled read-only connections first, then the writer, which checkpoints the whole
    /// write-ahead log into the file and truncates it. (The last connection to close deletes the WAL only when it can
    /// write; when a read-only one closed last, the WAL stayed behind, over a megabyte after a few triggers.)
    /// </summary>
    public void Dispose()
    {
        Writer.Dispose();
        using (var pooled = new SqliteConnection(_readConnectionString)) SqliteConnection.ClearPool(pooled);
        try
        {
            Execute(Writer.Connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException)
        {
            // A full disk or a reader still open: the WAL stays, and the next open replays it.
        }
        Writer.Connection.Dispose();
    }

    /// <summary>
    /// Brings a data folder of an earlier version up to the schema: the columns added since (executions'
    /// checkpoint, result and compacted events, batch jobs' idempotency token) and their index. The events of executions
    /// that ended under an earlier version stay in <c>execution_events</c> and are read from there. An earlier execution without a
    /// checkpoint starts the workflow again; its record is past SUBMITTED, so it does not run the job twice.
    /// </summary>
    private static void Upgrade(SqliteConnection connection)
    {
        var added = new[]
        {
            ("executions", "transition_count", "INTEGER NOT NULL DEFAULT 0"), ("executions", "checkpoint", "TEXT"),
            ("executions", "result", "TEXT"), ("executions", "events", "BLOB"), ("batch_jobs", "idempotency_token", "TEXT"),
        };
        foreach (var (table, column, type) in added)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if ((long)command.ExecuteScalar()! == 0) Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type};");
        }
        Execute(connection, "CREATE UNIQUE INDEX IF NOT EXISTS batch_jobs_by_token ON batch_jobs (idempotency_token);");
        // GET /triggers pages on (created_at, trigger_id); the older index on created_at alone is covered by it.
        Execute(connection, "DROP INDEX IF EXISTS triggers_by_created;");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
