using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// Kills a process and all its descendants at once. On Linux it walks <c>/proc/PID/task/TID/children</c> from the root,
/// stopping each process it finds (SIGSTOP, so none forks while the tree is walked), then kills them all (SIGKILL):
/// a few milliseconds. .NET's <see cref="Process.Kill(bool)"/> with the whole tree reads every process on the machine
/// and took 450-750 ms on the 2-core test machine under load; it stays the fallback where <c>/proc</c> has no children
/// lists (other systems, kernels without them).
/// </summary>
internal static class ProcessTree
{
    private const int SigKill = 9;
    private const int SigStop = 19;

    public static void Kill(Process process)
    {
        if (process.HasExited) return; // its id may belong to another process by now
        if (OperatingSystem.IsLinux() && File.Exists($"/proc/{Environment.ProcessId}/task/{Environment.ProcessId}/children"))
        {
            KillLinux(process.Id);
            return;
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited already.
        }
    }

    private static void KillLinux(int root)
    {
        var found = new List<int>();
        var pending = new Stack<int>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (SendSignal(pid, SigStop) != 0) continue; // gone (or not ours)
            found.Add(pid);
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (int.TryParse(child, out var id)) pending.Push(id);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // It exited while being read: nothing below it to find.
            }
        }
        foreach (var pid in found) _ = SendSignal(pid, SigKill); // one that already exited is gone either way
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
