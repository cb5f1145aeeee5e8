using System.Diagnostics;
using BatchPs.LocalStack.Storage;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// One attempt's process: started with its arguments, environment and folder, stdin closed,
/// stdout and stderr appended to the attempt's log file line by line with each line's time (<see cref="JobLog"/>). A timeout or a stop kills the whole tree.
/// </summary>
internal sealed class JobProcess : IDisposable
{
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly FileStream _log;
    private readonly Task _pumps;

    private JobProcess(Process process, FileStream log)
    {
        _process = process;
        _log = log;
        StartTimeUtc = SafeStartTime(process);
        _pumps = Task.WhenAll(Pump(process.StandardOutput.BaseStream), Pump(process.StandardError.BaseStream));
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>When the process started (UTC), to recognise it after a restart.</summary>
    public DateTime StartTimeUtc { get; }

    /// <summary>Starts the process; throws (with the OS's reason) when it cannot start.</summary>
    public static JobProcess Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string? workingDirectory, string logPath)
    {
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in command.Skip(1)) info.ArgumentList.Add(argument);
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        info.Environment.Remove("BATCHPS_API_KEY");
        foreach (var variable in environment) info.Environment[variable.Key] = variable.Value;

        OwnerOnly.CreateDirectory(Path.GetDirectoryName(logPath)!);
        // Unbuffered: each line is written whole at once, and a line the disk refused is not written later by surprise.
        var log = OwnerOnly.OpenFile(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        try
        {
            var process = Process.Start(info) ?? throw new InvalidOperationException("the operating system started no process.");
            process.StandardInput.Close();
            LowerPriority(process);
            return new JobProcess(process, log);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the exit, the attempt timeout, the job's termination, or the stop of the local stack.</summary>
    public async Task<(JobProcessEnd End, int ExitCode)> WaitAsync(int? timeoutSeconds, CancellationToken stopping, CancellationToken terminated)
    {
        using var timeout = timeoutSeconds is int seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping, terminated);
        var end = JobProcessEnd.Exited;
        // A termination kills the tree on the terminating thread, so the tree is gone when Terminate returns.
        using var kill = terminated.Register(KillTree);
        try
        {
            await _process.WaitForExitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            end = stopping.IsCancellationRequested ? JobProcessEnd.Interrupted
                : terminated.IsCancellationRequested ? JobProcessEnd.Terminated
                : JobProcessEnd.TimedOut;
            KillTree();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        // A child that outlives the process may hold the output pipes open: stop copying after a while.
        await Task.WhenAny(_pumps, Task.Delay(OutputDrainLimit, CancellationToken.None)).ConfigureAwait(false);
        return (end, _process.ExitCode);
    }

    /// <summary>Kills the process and all its descendants.</summary>
    public void KillTree() => ProcessTree.Kill(_process);

    public void Dispose()
    {
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    /// <summary>Copies one output stream to the log, line by line, each line with the time it was read (<see cref="JobLog"/>).</summary>
    private async Task Pump(Stream output)
    {
        var buffer = new byte[8192];
        var pending = new MemoryStream();
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var now = DateTimeOffset.UtcNow;
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n' && pending.Length + (i - start) < JobLog.MaxLineBytes) continue;
                    pending.Write(buffer, start, i - start);
                    start = buffer[i] == (byte)'\n' ? i + 1 : i;
                    if (!WriteLine(now, pending)) return;
                }
                pending.Write(buffer, start, read - start);
            }
            if (pending.Length > 0) WriteLine(DateTimeOffset.UtcNow, pending);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe or the log closed: nothing more to copy.
        }
    }

    /// <summary>
    /// Appends one line to the log (whole, under the lock shared with the other stream); false once the log is closed.
    /// A line the disk refuses (full) is dropped, and the output is still read, so the job never blocks on a full pipe.
    /// </summary>
    private bool WriteLine(DateTimeOffset time, MemoryStream text)
    {
        var line = JobLog.Line(time, text.GetBuffer().AsSpan(0, (int)text.Length));
        text.SetLength(0);
        lock (_log)
        {
            if (!_log.CanWrite) return false;
            try
            {
                _log.Write(line, 0, line.Length);
            }
            catch (IOException ex) when (StorageFaults.IsDiskFull(ex))
            {
                // Lost: the job's output is not worth stopping the job for.
            }
        }
        return true;
    }

    /// <summary>
    /// Jobs run below normal priority (nice 10 on Linux), as Batch compute runs apart from the API:
    /// CPU-heavy jobs must not starve the stack's own request handling and bookkeeping.
    /// </summary>
    private static void LowerPriority(Process process)
    {
        try
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // It exited already, or the system does not allow it: the job runs at normal priority.
        }
    }

    private static DateTime SafeStartTime(Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return DateTime.UtcNow;
        }
    }
}
