namespace BatchPs.LocalStack.Tests;

/// <summary>Whether a process is alive, read from /proc (a zombie counts as gone: it runs nothing).</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The pids a job wrote to <paramref name="pidFile"/>, one per line (empty while it has none).</summary>
    public static IReadOnlyList<int> Read(string pidFile) =>
        File.Exists(pidFile)
            ? File.ReadAllLines(pidFile).Where(l => int.TryParse(l, out _)).Select(int.Parse).ToList()
            : Array.Empty<int>();
}
