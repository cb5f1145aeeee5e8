using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Storage;

/// <summary>
/// The one writer of the database, with group commit: writes queued by concurrent callers run on a
/// single thread in one transaction (each inside its own savepoint, so one failing write does not
/// undo the others), and every caller's task completes only after that transaction committed
/// durably. Many writers in flight cost one fsync, not one each.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private const int MaxBatch = 1024;

    private readonly SqliteConnection _connection;
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollbackToSavepoint;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _begin = Command("BEGIN IMMEDIATE");
        _commit = Command("COMMIT");
        _rollback = Command("ROLLBACK");
        _savepoint = Command("SAVEPOINT w");
        _release = Command("RELEASE w");
        _rollbackToSavepoint = Command("ROLLBACK TO w");
        _thread = new Thread(Run) { IsBackground = true, Name = "BatchPs SQLite writer" };
        _thread.Start();
    }

    /// <summary>
    /// The fault seam of the tests: while it returns an exception, every transaction fails with it at its commit (and
    /// is rolled back), as when the disk is full. Null (the default) in the product.
    /// </summary>
    internal Func<Exception?>? CommitFault { get; set; }

    /// <summary>The writer's connection, for preparing commands that run inside <see cref="WriteAsync{T}"/>.</summary>
    public SqliteConnection Connection => _connection;

    /// <summary>Runs <paramref name="work"/> on the writer thread inside a transaction; completes after the commit.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> work)
    {
        var operation = new WriteOperation<T>(work);
        if (!_queue.Writer.TryWrite(operation))
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteWriter), "The local stack's database is closed."));
        return operation.Task;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
        foreach (var command in new[] { _begin, _commit, _rollback, _savepoint, _release, _rollbackToSavepoint })
            command.Dispose();
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Run()
    {
        var batch = new List<WriteOperation>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var operation))
                batch.Add(operation);
            if (batch.Count > 0)
                RunBatch(batch);
        }
    }

    private void RunBatch(List<WriteOperation> batch)
    {
        try
        {
            _begin.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            foreach (var operation in batch) operation.Fail(ex);
            return;
        }

        foreach (var operation in batch)
        {
            _savepoint.ExecuteNonQuery();
            try
            {
                operation.Execute(_connection);
                _release.ExecuteNonQuery();
            }
            catch (Exception ex)
            {
                operation.Failure = ex;
                _rollbackToSavepoint.ExecuteNonQuery();
                _release.ExecuteNonQuery();
            }
        }

        try
        {
            if (CommitFault?.Invoke() is { } fault) throw fault;
            _commit.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            try { _rollback.ExecuteNonQuery(); } catch (SqliteException) { /* the transaction is gone already */ }
            foreach (var operation in batch) operation.Fail(ex);
            return;
        }

        foreach (var operation in batch)
        {
            if (operation.Failure is { } failure) operation.Fail(failure);
            else operation.Complete();
        }
    }

    private abstract class WriteOperation
    {
        public Exception? Failure { get; set; }
        public abstract void Execute(SqliteConnection connection);
        public abstract void Complete();
        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T> : WriteOperation
    {
        private readonly Func<SqliteConnection, T> _work;
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public WriteOperation(Func<SqliteConnection, T> work) => _work = work;

        public Task<T> Task => _done.Task;

        public override void Execute(SqliteConnection connection) => _result = _work(connection);
        public override void Complete() => _done.TrySetResult(_result);
        public override void Fail(Exception exception) => _done.TrySetException(exception);
    }
}
