using System.Diagnostics;
using System.Text;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// Finds and kills the processes of attempts that outlived a stop or a <c>kill -9</c> of the local
/// stack. On Linux every process whose environment holds <c>AWS_BATCH_JOB_ID=&lt;job id&gt;</c> is
/// one (children inherit it, so the whole tree is found even when its root is gone); elsewhere, the
/// recorded process id counts when the process with that id started at the recorded time.
/// </summary>
internal static class OrphanProcesses
{
    private const string JobIdVariable = "AWS_BATCH_JOB_ID";

    /// <summary>Process ids by job id, for every running process that carries a job id (Linux; empty elsewhere).</summary>
    public static Dictionary<string, List<int>> ScanByJobId()
    {
        var result = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux()) return result;
        var marker = Encoding.ASCII.GetBytes(JobIdVariable + "=");
        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == self) continue;
            byte[] environment;
            try
            {
                environment = File.ReadAllBytes(Path.Combine(directory, "environ"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var jobId = FindValue(environment, marker);
            if (jobId is null) continue;
            if (!result.TryGetValue(jobId, out var pids)) result[jobId] = pids = new List<int>();
            pids.Add(pid);
        }
        return result;
    }

    /// <summary>
    /// Kills the orphans of one job (those found by <see cref="ScanByJobId"/>, or the recorded
    /// process when it is still the same one) and waits until they are gone. Returns how many were killed.
    /// </summary>
    public static async Task<int> KillAsync(IReadOnlyList<int> scanned, int? recordedPid, long? recordedStartTicks)
    {
        var pids = new HashSet<int>(scanned);
        if (recordedPid is int pid && recordedStartTicks is long ticks && IsSameProcess(pid, ticks)) pids.Add(pid);
        var killed = new List<Process>();
        foreach (var id in pids)
        {
            try
            {
                var process = Process.GetProcessById(id);
                process.Kill(entireProcessTree: true);
                killed.Add(process);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (killed.Any(IsAlive) && DateTime.UtcNow < deadline)
            await Task.Delay(20).ConfigureAwait(false);
        foreach (var process in killed) process.Dispose();
        return killed.Count;
    }

    private static bool IsSameProcess(int pid, long startTicks)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - startTicks) < TimeSpan.TicksPerSecond;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private static bool IsAlive(Process process)
    {
        if (OperatingSystem.IsLinux())
        {
            // A zombie counts as gone: it runs no code any more.
            try
            {
                var stat = File.ReadAllText($"/proc/{process.Id}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..];
                return state.Length > 0 && state[0] != 'Z' && state[0] != 'X';
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
        try
        {
            process.Refresh();
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? FindValue(byte[] environment, byte[] marker)
    {
        var start = 0;
        while (start < environment.Length)
        {
            var end = Array.IndexOf(environment, (byte)0, start);
            if (end < 0) end = environment.Length;
            if (end - start > marker.Length && environment.AsSpan(start, marker.Length).SequenceEqual(marker))
                return Encoding.UTF8.GetString(environment, start + marker.Length, end - start - marker.Length);
            start = end + 1;
        }
        return null;
    }
}
