using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BatchPs.LocalStack.Hosting;

namespace BatchPs.LocalStack.Tests;

/// <summary>The local stack as a real child process: <c>dotnet BatchPs.LocalStack.dll serve ...</c>.</summary>
internal sealed class StackProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private StackProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Dll => typeof(LocalStackServer).Assembly.Location;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts <c>dotnet BatchPs.LocalStack.dll</c> with <paramref name="args"/> and the test API key in the environment.</summary>
    public static StackProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(string[])"/>, with more environment variables (TMPDIR...).</summary>
    public static StackProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["BATCHPS_API_KEY"] = TestStack.ApiKey;
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return new StackProcess(Process.Start(info)!);
    }

    /// <summary>
    /// Starts the stack as <see cref="Start"/> does, but with <paramref name="apiKey"/> in <c>BATCHPS_API_KEY</c> (none when
    /// null), under <paramref name="umask"/> when given, and, with <paramref name="obeyFileModes"/>, without the
    /// privilege to override file modes when the tests run as root (so a read-only file is read-only to it).
    /// </summary>
    public static StackProcess StartWith(string? apiKey, bool obeyFileModes, string? umask, params string[] args)
    {
        var command = new List<string>();
        if (obeyFileModes && Environment.IsPrivilegedProcess)
            command.AddRange(new[] { "setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", "--" });
        if (umask is not null) command.AddRange(new[] { "sh", "-c", $"umask {umask}; exec \"$0\" \"$@\"" });
        command.Add(DotnetHost());
        command.Add(Dll);
        command.AddRange(args);
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
        if (apiKey is null) info.Environment.Remove("BATCHPS_API_KEY");
        else info.Environment["BATCHPS_API_KEY"] = apiKey;
        return new StackProcess(Process.Start(info)!);
    }

    /// <summary>Starts the stack as <see cref="Start(string[])"/> does, under an open-file limit (<c>ulimit -n</c>).</summary>
    public static StackProcess StartWithOpenFileLimit(int limit, params string[] args)
    {
        var info = new ProcessStartInfo("sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-c", $"ulimit -n {limit} && exec \"$0\" \"$@\"", DotnetHost(), Dll }.Concat(args)) info.ArgumentList.Add(arg);
        info.Environment["BATCHPS_API_KEY"] = TestStack.ApiKey;
        return new StackProcess(Process.Start(info)!);
    }

    /// <summary>Waits for the ready file and returns its endpoint.</summary>
    public async Task<Uri> WaitUntilReadyAsync(string readyFile)
    {
        await Eventually.WaitForAsync(() => File.Exists(readyFile) || _process.HasExited, TimeSpan.FromSeconds(60), "the ready file");
        Assert.False(_process.HasExited, "The local stack exited: " + Output);
        using var ready = JsonDocument.Parse(File.ReadAllText(readyFile));
        Assert.Equal(_process.Id, ready.RootElement.GetProperty("pid").GetInt32());
        return new Uri(ready.RootElement.GetProperty("endpoint").GetString()!);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to clean up.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it.</summary>
    public void Terminate() => Process.Start("kill", new[] { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!.WaitForExit();

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    private static string DotnetHost()
    {
        var path = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(path)) return path;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
