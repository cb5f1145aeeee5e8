using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace BatchPs.Core.Client;

/// <summary>
/// Starts and stops the local stack as a background process:
/// <c>dotnet BatchPs.LocalStack.dll serve --port N --data DIR --ready-file FILE --api-key-file -</c>, with the
/// API key written to the child's standard input: never on its command line, nor in its environment (which
/// any process of the same user, the stack's jobs included, can read from <c>/proc/PID/environ</c>). The
/// stack's console output goes to a log file in its data folder.
/// Every stack started is recorded in <see cref="LocalStackRegistry"/>
/// (so a later session finds it); those not started with <see cref="LocalStackStartOptions.KeepRunning"/> are
/// stopped by <see cref="StopStarted"/> when the session that started them ends.
/// </summary>
public static class LocalStackLauncher
{
    private static readonly char[] CharactersToQuote = { ' ', '\t', '"', '\'' };
    private const int SigTerm = 15;
    private static readonly ConcurrentDictionary<int, Process> Started = new();
    private static readonly ConcurrentDictionary<int, LocalStackInstance> StopAtEnd = new();

    /// <summary>Starts a stack and waits until it listens (its ready file appears).</summary>
    /// <exception cref="FileNotFoundException">The stack program or <c>dotnet</c> is missing.</exception>
    /// <exception cref="InvalidOperationException">The stack exited before it was ready (the message quotes its log).</exception>
    /// <exception cref="TimeoutException">The stack did not get ready within the start timeout (it is stopped).</exception>
    public static async Task<LocalStackInstance> StartAsync(LocalStackStartOptions options, CancellationToken cancellationToken = default)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        var dll = Path.GetFullPath(options.LocalStackDll);
        if (!File.Exists(dll))
            throw new FileNotFoundException($"The local stack program '{dll}' does not exist. Build the module (dotnet build) so that its localstack folder is filled.", dll);
        if (options.Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "The port must be 0 (any free port) to 65535.");
        var dotnet = DotnetLocator.Find();
        CheckAspNetCoreRuntime(dotnet);
        if (options.Port != 0) CheckPortFree(options.Port);
        var apiKey = options.ApiKey is null ? NewApiKey() : ApiKeyText.Normalize(options.ApiKey);

        var ownsData = options.DataDirectory is null;
        var data = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "batchps-localstack-" + Guid.NewGuid().ToString("N").Substring(0, 12)));
        // The folders the launcher makes are owner-only, as the stack makes its own; an existing one is left as it is.
        Connections.SecretProtection.CreateOwnerOnlyDirectory(data);
        var readyFile = Path.Combine(data, "ready-" + Guid.NewGuid().ToString("N") + ".json");
        var logPath = Path.Combine(data, "localstack.log");

        // In a session of its own (Linux: setsid), so a Ctrl+C in the console that started it (ending a Wait or a
        // log follow) is not also delivered to the stack, which shares the console's process group otherwise.
        var sessionLeader = NewSessionProgram();
        var start = new ProcessStartInfo(sessionLeader ?? dotnet)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = data,
        };
        var arguments = new List<string>();
        if (sessionLeader is not null) arguments.Add(dotnet); // setsid execs it in place: the process id stays the stack's
        arguments.AddRange(new[] { dll, "serve", "--port", options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data, "--ready-file", readyFile, "--api-key-file", "-" });
        if (options.CatalogPath is not null) arguments.AddRange(new[] { "--catalog", Path.GetFullPath(options.CatalogPath) });
        if (options.Concurrency is { } concurrency) arguments.AddRange(new[] { "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (options.RecordRetentionDays is { } days) arguments.AddRange(new[] { "--record-retention-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (options.MaxConnections is { } connections) arguments.AddRange(new[] { "--max-connections", connections.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        start.Arguments = string.Join(" ", arguments.Select(QuoteArgument));
        foreach (var name in new[] { "BATCHPS_API_KEY", "BATCHPS_LOCAL_PORT", "BATCHPS_LOCAL_DATA", "BATCHPS_LOCAL_CATALOG", "BATCHPS_LOCAL_CONCURRENCY" })
            start.Environment.Remove(name);

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var log = new LocalStackLog(logPath);
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose(); // no process will ever end its streams
            process.Dispose();
            throw;
        }
        try
        {
            process.StandardInput.WriteLine(apiKey);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The stack exited at once (the pipe is closed): the wait below reports its exit and output.
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Started[process.Id] = process;

        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryReadReady(readyFile) is { } endpoint)
                {
                    var instance = new LocalStackInstance(endpoint, SecureText.FromPlain(apiKey), process.Id, process.StartTime, data, ownsData, options.CatalogPath is null ? null : Path.GetFullPath(options.CatalogPath), logPath);
                    LocalStackRegistry.Add(instance, apiKey, options.KeepRunning);
                    if (!options.KeepRunning) StopAtEnd[process.Id] = instance;
                    return instance;
                }
                if (process.HasExited)
                {
                    // The exit can be seen before the last output lines reach the log: wait for both streams to end.
                    await Task.WhenAny(log.Closed, Task.Delay(5000, cancellationToken)).ConfigureAwait(false);
                    throw new InvalidOperationException(DescribeEarlyExit(process.ExitCode, logPath, dotnet));
                }
                if (clock.Elapsed > options.StartTimeout)
                    throw new TimeoutException($"The local stack did not get ready within {options.StartTimeout.TotalSeconds:0} s, so it was stopped. Its output:{Environment.NewLine}{Tail(logPath)}");
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Kill(process);
            process.WaitForExit(5000);
            Started.TryRemove(process.Id, out _);
            if (ownsData) DeleteDirectory(data);
            throw;
        }
    }

    /// <summary>
    /// Stops a stack: a graceful stop (SIGTERM; on Windows the process tree is ended) and, after
    /// <paramref name="timeout"/>, a forced one. Then removes the data folder when the launcher made it
    /// and <paramref name="keepData"/> is false. Stopping a stack that already exited only cleans up.
    /// </summary>
    /// <returns>True when the process was running.</returns>
    public static bool Stop(LocalStackInstance instance, TimeSpan timeout, bool keepData)
    {
        if (instance is null) throw new ArgumentNullException(nameof(instance));
        var wasRunning = false;
        var process = Find(instance);
        if (process is not null)
        {
            using (process)
            {
                wasRunning = !process.HasExited;
                if (wasRunning)
                {
                    if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && kill(process.Id, SigTerm) == 0 && process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
                    {
                        // Stopped gracefully.
                    }
                    else
                    {
                        Kill(process);
                    }
                    // Bounded: a job process that inherited the stack's output pipe must not hold us.
                    process.WaitForExit(5000);
                }
            }
        }
        Started.TryRemove(instance.ProcessId, out _);
        StopAtEnd.TryRemove(instance.ProcessId, out _);
        LocalStackRegistry.Remove(instance.ProcessId);
        if (instance.OwnsDataDirectory && !keepData) DeleteDirectory(instance.DataDirectory);
        return wasRunning;
    }

    /// <summary>
    /// Stops the stacks this process started without <see cref="LocalStackStartOptions.KeepRunning"/> (all of them, or
    /// those <paramref name="which"/> picks): called when the session that started them ends. Never throws.
    /// </summary>
    public static void StopStarted(Func<LocalStackInstance, bool>? which = null)
    {
        foreach (var instance in StopAtEnd.Values.Where(i => which is null || which(i)).ToList())
        {
            try
            {
                Stop(instance, TimeSpan.FromSeconds(5), keepData: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // The session is ending: nothing to report to.
            }
        }
    }

    /// <summary>True when this process started the stack (and has not stopped it).</summary>
    public static bool StartedByThisProcess(LocalStackInstance instance) => instance is not null && Started.ContainsKey(instance.ProcessId);

    /// <summary>True when the stack was started by this process and is stopped when the session ends.</summary>
    public static bool StopsAtSessionEnd(LocalStackInstance instance) => instance is not null && StopAtEnd.ContainsKey(instance.ProcessId);

    // The local stack is an ASP.NET Core program: with only the base .NET runtime the host exits with 150 before
    // the program runs. Checked where the dotnet found keeps its shared runtimes (when that is known).
    private static void CheckAspNetCoreRuntime(string dotnet)
    {
        var root = Path.GetDirectoryName(dotnet) ?? ".";
        if (!Directory.Exists(Path.Combine(root, "shared", "Microsoft.NETCore.App"))) return;
        var aspNet = Path.Combine(root, "shared", "Microsoft.AspNetCore.App");
        if (Directory.Exists(aspNet) && Directory.GetDirectories(aspNet, "10.*").Length > 0) return;
        throw new InvalidOperationException(MissingRuntimeMessage(dotnet));
    }

    private static string MissingRuntimeMessage(string dotnet) =>
        $"The local stack needs the ASP.NET Core 10 runtime (Microsoft.AspNetCore.App 10.x), which {dotnet} does not have (the base .NET runtime alone is not enough). Install the ASP.NET Core Runtime 10 (or the .NET 10 SDK) from https://dot.net; 'dotnet --list-runtimes' shows what is there.";

    private static void CheckPortFree(int port)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode is System.Net.Sockets.SocketError.AddressAlreadyInUse or System.Net.Sockets.SocketError.AccessDenied)
        {
            throw new InvalidOperationException(
                $"Port {port} on 127.0.0.1 is {(ex.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied ? "not open to this user" : "in use by another program")}. Pass another -Port, or leave -Port out to take a free one.", ex);
        }
        finally
        {
            listener.Stop();
        }
    }

    // What the stack said before it exited: its own "error:" lines (not a framework's stack trace), the runtime it lacks, or its last lines.
    private static string DescribeEarlyExit(int exitCode, string logPath, string dotnet)
    {
        var output = Tail(logPath);
        if (exitCode == 150 || output.Contains("Microsoft.AspNetCore.App"))
            return MissingRuntimeMessage(dotnet) + $" (It exited with code {exitCode}.)";
        var errors = output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).Select(l => l.Substring(7)).ToList();
        if (errors.Count > 0)
            return MessageText.Sentences($"The local stack exited with code {exitCode} before it was ready: {string.Join(" ", errors)}");
        return $"The local stack exited with code {exitCode} before it was ready. Its output:{Environment.NewLine}{output}";
    }

    /// <summary>True while the stack's process runs (and the id was not reused by another process).</summary>
    public static bool IsRunning(LocalStackInstance instance)
    {
        if (instance is null) throw new ArgumentNullException(nameof(instance));
        var process = Find(instance);
        if (process is null) return false;
        try
        {
            return !process.HasExited;
        }
        finally
        {
            if (!Started.ContainsKey(instance.ProcessId)) process.Dispose();
        }
    }

    private static readonly string[] SetsidPaths = { "/usr/bin/setsid", "/bin/setsid" };

    /// <summary>Linux's <c>setsid</c>, which runs a program in a new session (and process group); null elsewhere.</summary>
    private static string? NewSessionProgram()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return null;
        return SetsidPaths.FirstOrDefault(File.Exists);
    }

    /// <summary>A random API key: 32 bytes, base64url (43 characters).</summary>
    public static string NewApiKey()
    {
        var bytes = new byte[32];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static Process? Find(LocalStackInstance instance)
    {
        if (Started.TryGetValue(instance.ProcessId, out var tracked)) return tracked;
        try
        {
            var process = Process.GetProcessById(instance.ProcessId);
            if (Math.Abs((process.StartTime - instance.ProcessStartTime).TotalSeconds) < 2) return process;
            process.Dispose(); // The id now belongs to another process.
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }
        catch (InvalidOperationException)
        {
            // Exited while we looked.
        }
        return null;
    }

    private static Uri? TryReadReady(string readyFile)
    {
        if (!File.Exists(readyFile)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(readyFile));
            return doc.RootElement.TryGetProperty("endpoint", out var e) && e.ValueKind == JsonValueKind.String && Uri.TryCreate(e.GetString(), UriKind.Absolute, out var uri)
                ? uri
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // Being written (the stack renames it into place, but be tolerant).
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (process.HasExited) return;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) KillTreeOnWindows(process.Id);
            if (!process.HasExited) process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    // Windows has no SIGTERM for a console process in another group; taskkill /T also ends the job
    // processes the stack started (Process.Kill of netstandard2.0 ends only the stack itself).
    private static void KillTreeOnWindows(int processId)
    {
        try
        {
            using var taskkill = Process.Start(new ProcessStartInfo("taskkill", $"/PID {processId} /T /F") { UseShellExecute = false, CreateNoWindow = true });
            taskkill?.WaitForExit(10_000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No taskkill on this system: Process.Kill follows.
        }
    }

    private static void DeleteDirectory(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && attempt < 20)
            {
                Thread.Sleep(100); // Windows releases file handles shortly after a process exits.
            }
        }
    }

    private static string Tail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 30))).TrimEnd();
        }
        catch (IOException ex)
        {
            return $"(could not read the log: {ex.Message})";
        }
    }

    private static string QuoteArgument(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(CharactersToQuote) < 0) return argument;
        // The Windows command-line convention, which .NET also applies on Unix.
        var quoted = new System.Text.StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\') { backslashes++; continue; }
            if (c == '"') quoted.Append('\\', backslashes * 2 + 1).Append('"');
            else quoted.Append('\\', backslashes).Append(c);
            backslashes = 0;
        }
        quoted.Append('\\', backslashes * 2).Append('"');
        return quoted.ToString();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
