namespace BatchPs.Core.Client;

/// <summary>Writes a child process's stdout and stderr lines to one file; closes it when both streams ended.</summary>
internal sealed class LocalStackLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly TaskCompletionSource<bool> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open = 2;

    /// <summary>Completes when both streams ended and the file is closed (all output written).</summary>
    public Task Closed => _closed.Task;

    public LocalStackLog(string path)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    /// <summary>Writes a line; null marks the end of one stream (as <c>DataReceivedEventArgs.Data</c> does).</summary>
    public void Write(string? line)
    {
        lock (_writer)
        {
            if (_open == 0) return;
            if (line is null)
            {
                if (--_open == 0)
                {
                    _writer.Dispose();
                    _closed.TrySetResult(true);
                }
                return;
            }
            _writer.WriteLine(line);
        }
    }

    /// <summary>Closes the file now, whether or not both streams ended (later lines are dropped).</summary>
    public void Dispose()
    {
        lock (_writer)
        {
            if (_open == 0) return;
            _open = 0;
            _writer.Dispose();
            _closed.TrySetResult(true);
        }
    }
}
