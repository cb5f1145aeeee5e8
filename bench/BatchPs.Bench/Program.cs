using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BatchPs.Bench;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;

// BatchPs benchmark. Prints figures; asserts nothing. Options:
//   --localstack PATH   BatchPs.LocalStack.dll (default: the built module's localstack/ folder)
//   --module PATH       BatchPs.psd1 (default: artifacts/module/BatchPs/BatchPs.psd1)
//   --seconds N         length of the sustained-accept phase (default 10)
//   --clients N         concurrent HTTP clients in that phase (default 16)
//   --runs N            sequential no-op triggers for the latency phase (default 200)
//   --accept-only       only the limits and the accept phases (to compare two builds of the stack quickly)
//   --only-trigger-life only issue 9's figures (cancel, list, log)
//   --only-growth       only issue 12's figures: bytes per trigger and RSS after 10,000 no-op triggers (--growth-triggers N)
if (args.Length == 2 && args[0] == Limits.BareKestrelVerb) return await Limits.RunBareKestrelAsync(args[1]);
var options = BenchOptions.Parse(args);
Console.WriteLine($"BatchPs benchmark — {Environment.ProcessorCount} cores, {RuntimeInfo()}");
Console.WriteLine($"local stack: {options.LocalStackDll}");
Console.WriteLine();

var report = new List<(string Name, string Value, string Target, bool? Met)>();
if (options.OnlyGrowth)
{
    report.AddRange(await GrowthBench.RunAsync(options.LocalStackDll, options.GrowthTriggers));
    PrintReport();
    return 0;
}
if (options.OnlyTriggerLife)
{
    report.AddRange(await TriggerLifeBench.RunAsync(options.LocalStackDll));
    PrintReport();
    return 0;
}

// 0. The physical limits, measured in this same run and with the same 16 closed-loop callers: the stack's storage
//    alone (durable group-commit inserts, no HTTP) and a bare Kestrel endpoint (no storage, own process).
var storage = await Limits.StorageAsync(options.Clients, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(options.Seconds));
report.Add(("limit: storage inserts/s (durable, no HTTP)", $"{storage.PerSecond:F0}", "", null));
report.Add(("limit: storage insert p99", Ms(storage.Latencies.Percentile(99)), "", null));
report.Add(("limit: storage CPU per insert", $"{storage.CpuMs / storage.Latencies.Count:F3} ms", "", null));
double kestrelPerSecond;
await using (var bare = await LocalStackProcess.StartBareKestrelAsync())
{
    using var http = bare.CreateClient(options.Clients);
    await Accept.RunAsync(http, options.Clients, TimeSpan.FromSeconds(5), CancellationToken.None);
    var cpuBefore = bare.CpuTime;
    var kestrel = await Accept.RunAsync(http, options.Clients, TimeSpan.FromSeconds(options.Seconds), CancellationToken.None);
    var cpuPerRequest = (bare.CpuTime - cpuBefore).TotalMilliseconds / kestrel.Latencies.Count;
    kestrelPerSecond = kestrel.PerSecond;
    report.Add(("limit: bare Kestrel requests/s (no storage)", $"{kestrel.PerSecond:F0}", "", null));
    report.Add(("limit: bare Kestrel p99", Ms(kestrel.Latencies.Percentile(99)), "", null));
    report.Add(("limit: bare Kestrel CPU per request", $"{cpuPerRequest:F3} ms", "", null));
}
var limit = Math.Min(storage.PerSecond, kestrelPerSecond);

// 1. Durable accepts. (a) Capacity: many clients POST back to back (closed loop); every 202 is a committed
//    trigger. (b) Latency at the target rate: POSTs fired on a fixed 1,000/s schedule (open loop), each
//    timed from its scheduled moment, so a stall is not hidden by the senders waiting for it.
await using (var stack = await LocalStackProcess.StartAsync(options.LocalStackDll))
{
    report.Add(("local stack start -> ready (process start to ready file)", Ms(stack.ReadyAfter.TotalMilliseconds), "", null));
    using var http = stack.CreateClient(options.Clients);
    await Accept.RunAsync(http, options.Clients, TimeSpan.FromSeconds(5), CancellationToken.None); // warm-up: let tiered JIT settle
    var (cpuBefore, jobsCpuBefore) = (stack.CpuTime, stack.ChildrenCpuTime);
    var result = await Accept.RunAsync(http, options.Clients, TimeSpan.FromSeconds(options.Seconds), CancellationToken.None);
    var cpuPerTrigger = (stack.CpuTime - cpuBefore).TotalMilliseconds / result.Latencies.Count;
    var jobsCpuPerTrigger = (stack.ChildrenCpuTime - jobsCpuBefore).TotalMilliseconds / result.Latencies.Count;
    report.Add(("accepted triggers/s (durable, closed loop)", $"{result.PerSecond:F0}", ">= 1000", result.PerSecond >= 1000));
    report.Add(("  as a share of the lower limit", $"{result.PerSecond / limit:P0}", "", null));
    report.Add(("  stack CPU per accepted trigger (API, feed, workflow, Batch)", $"{cpuPerTrigger:F3} ms", "", null));
    report.Add(("  job processes' CPU per accepted trigger (/bin/true)", $"{jobsCpuPerTrigger:F3} ms", "", null));
    report.Add(($"accept latency p50 ({options.Clients} clients)", Ms(result.Latencies.Percentile(50)), "", null));
    report.Add(($"accept latency p99 ({options.Clients} clients)", Ms(result.Latencies.Percentile(99)), "", null));
    report.Add(("accept errors", result.Errors.ToString(CultureInfo.InvariantCulture), "0", result.Errors == 0));
}
await using (var stack = await LocalStackProcess.StartAsync(options.LocalStackDll))
{
    using var http = stack.CreateClient(256);
    await Accept.RunAtRateAsync(http, 1000, TimeSpan.FromSeconds(5)); // warm-up: let tiered JIT settle
    var paced = await Accept.RunAtRateAsync(http, 1000, TimeSpan.FromSeconds(options.Seconds));
    report.Add(("accepted triggers/s (offered 1,000/s)", $"{paced.PerSecond:F0}", ">= 1000", paced.PerSecond >= 990));
    report.Add(("accept latency p50 at 1,000/s", Ms(paced.Latencies.Percentile(50)), "", null));
    report.Add(("accept latency p99 at 1,000/s", Ms(paced.Latencies.Percentile(99)), "< 20 ms", paced.Latencies.Percentile(99) < 20));
    report.Add(("accept errors at 1,000/s", paced.Errors.ToString(CultureInfo.InvariantCulture), "0", paced.Errors == 0));
}

if (options.AcceptOnly)
{
    PrintReport();
    return 0;
}

// 2. One no-op trigger at a time (a slot is always free): POST -> process start, POST -> SUCCEEDED.
await using (var stack = await LocalStackProcess.StartAsync(options.LocalStackDll))
{
    using var http = stack.CreateClient(1);
    var toStart = new List<double>();
    var toDone = new List<double>();
    for (var i = 0; i < options.Runs + 5; i++)
    {
        var sent = DateTimeOffset.UtcNow;
        var record = await Api.SendAsync(http, "noop");
        while (!record.IsFinal)
        {
            await Task.Delay(1);
            record = await Api.GetAsync(http, record.TriggerId);
        }
        if (record.Status != TriggerStatus.SUCCEEDED) throw new InvalidOperationException($"noop ended {record.Status}: {record.StatusReason}");
        if (i < 5) continue; // warm-up
        toStart.Add((record.StartedAt!.Value - sent).TotalMilliseconds);
        toDone.Add((record.StatusChangedAt - sent).TotalMilliseconds);
    }
    report.Add(("POST -> process start p50", Ms(toStart.Percentile(50)), "", null));
    report.Add(("POST -> process start p99", Ms(toStart.Percentile(99)), "< 50 ms", toStart.Percentile(99) < 50));
    report.Add(("POST -> SUCCEEDED p50 (no-op job)", Ms(toDone.Percentile(50)), "", null));
    report.Add(("POST -> SUCCEEDED p99 (no-op job)", Ms(toDone.Percentile(99)), "", null));
}

// 3. Issue 5: state transitions per trigger for the shipped definition (must not grow with the job's
//    duration), and the interpreter's own throughput (a Pass/Choice loop, no checkpoints).
await using (var stack = await LocalStackProcess.StartAsync(options.LocalStackDll, WorkflowBench.Jobs))
{
    using var http = stack.CreateClient(2);
    var (oneSecond, sixtySeconds) = await WorkflowBench.TransitionsPerTriggerAsync(http);
    report.Add(("transitions per trigger, 1 s job", oneSecond.ToString(CultureInfo.InvariantCulture), "<= 6", oneSecond <= 6));
    report.Add(("transitions per trigger, 60 s job", sixtySeconds.ToString(CultureInfo.InvariantCulture), "= 1 s job", sixtySeconds == oneSecond));
}
var throughput = await WorkflowBench.InterpreterThroughputAsync(iterations: 5000, runs: 10);
report.Add(("interpreter transitions/s (Pass loop)", $"{throughput:F0}", "", null));

// 4. Issue 9: cancel -> process tree gone; a list page among 100,000 triggers; log pages of a 100 MB log and the
//    stack's RSS while the whole log is paged through.
foreach (var row in await TriggerLifeBench.RunAsync(options.LocalStackDll)) report.Add(row);

// 5. Issue 12: storage per trigger and RSS after 10,000 triggers.
foreach (var row in await GrowthBench.RunAsync(options.LocalStackDll, options.GrowthTriggers)) report.Add(row);

// 6. Module import in the hosted PowerShell 7.6 engine. The engine's own first command in a process
//    (type loading, JIT) is timed apart, so the import figure is the module's share.
var imports = new List<double>();
double engineFirstCommand = 0;
for (var i = 0; i < 6; i++)
{
    using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
    runspace.Open();
    using (var warm = PowerShell.Create(runspace))
    {
        var w = Stopwatch.StartNew();
        warm.AddScript("$null").Invoke();
        if (i == 0) engineFirstCommand = w.Elapsed.TotalMilliseconds;
    }
    using var ps = PowerShell.Create(runspace);
    ps.AddCommand("Import-Module").AddParameter("Name", options.ModuleManifest);
    var sw = Stopwatch.StartNew();
    ps.Invoke();
    sw.Stop();
    if (ps.HadErrors) throw new InvalidOperationException("Import-Module failed: " + string.Join("; ", ps.Streams.Error));
    imports.Add(sw.Elapsed.TotalMilliseconds);
}
report.Add(("engine's first command in a process", Ms(engineFirstCommand), "", null));
report.Add(("Import-Module, first in process", Ms(imports[0]), "< 150 ms", imports[0] < 150));
report.Add(("Import-Module, later runspaces (median)", Ms(imports.Skip(1).ToList().Percentile(50)), "", null));

PrintReport();
return 0;

void PrintReport()
{
    Console.WriteLine($"{"figure",-58} {"value",12}  {"target",-10} result");
    foreach (var (name, value, target, met) in report)
        Console.WriteLine($"{name,-58} {value,12}  {target,-10} {(met is null ? "" : met.Value ? "met" : "MISSED")}");
}

static string Ms(double ms) => $"{ms:F1} ms";
static string RuntimeInfo() => $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

namespace BatchPs.Bench
{
    internal sealed record BenchOptions(string LocalStackDll, string ModuleManifest, int Seconds, int Clients, int Runs, bool AcceptOnly, bool OnlyTriggerLife, bool OnlyGrowth, int GrowthTriggers)
    {
        public static BenchOptions Parse(string[] args)
        {
            var root = FindRepoRoot();
            var module = Path.Combine(root, "artifacts", "module", "BatchPs", "BatchPs.psd1");
            var dll = Path.Combine(root, "artifacts", "module", "BatchPs", "localstack", "BatchPs.LocalStack.dll");
            int seconds = 10, clients = 16, runs = 200;
            var acceptOnly = false;
            var onlyTriggerLife = false;
            var onlyGrowth = false;
            var growthTriggers = 10_000;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--localstack": dll = Path.GetFullPath(Next()); break;
                    case "--module": module = Path.GetFullPath(Next()); break;
                    case "--seconds": seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--clients": clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--accept-only": acceptOnly = true; break;
                    case "--only-trigger-life": onlyTriggerLife = true; break;
                    case "--only-growth": onlyGrowth = true; break;
                    case "--growth-triggers": growthTriggers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"Unknown option '{args[i]}'. Options: --localstack PATH, --module PATH, --seconds N, --clients N, --runs N, --accept-only, --only-trigger-life, --only-growth, --growth-triggers N.");
                }
            }
            if (!File.Exists(dll)) throw new FileNotFoundException($"The local stack is not built at '{dll}'. Run 'dotnet build -c Release' first, or pass --localstack.");
            if (!onlyGrowth && !onlyTriggerLife && !File.Exists(module)) throw new FileNotFoundException($"The module is not built at '{module}'. Run 'dotnet build -c Release' first, or pass --module.");
            return new BenchOptions(dll, module, seconds, clients, runs, acceptOnly, onlyTriggerLife, onlyGrowth, growthTriggers);
        }

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "BatchPs.sln"))) return dir.FullName;
            return Directory.GetCurrentDirectory();
        }
    }

    /// <summary>A local stack (or the bare Kestrel endpoint) in its own process, on a free port and a fresh data folder, with a no-op job.</summary>
    internal sealed class LocalStackProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _folder;

        private LocalStackProcess(Process process, string folder, string endpoint, string apiKey, TimeSpan readyAfter)
        {
            ReadyAfter = readyAfter;
            _process = process;
            _folder = folder;
            Endpoint = endpoint;
            ApiKey = apiKey;
        }

        public string Endpoint { get; }
        public string ApiKey { get; }
        /// <summary>CPU time of the process itself.</summary>
        public TimeSpan CpuTime
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        /// <summary>CPU time of its children that ended (the job processes).</summary>
        public TimeSpan ChildrenCpuTime => ReadChildrenCpuTime(_process.Id);

        /// <summary>Linux: the CPU time of a process's waited-for children (cutime + cstime in /proc/PID/stat); zero elsewhere.</summary>
        private static TimeSpan ReadChildrenCpuTime(int pid)
        {
            if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3; cutime and cstime are fields 16 and 17 (1-based), in clock ticks (100/s).
            var ticks = long.Parse(fields[16 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[17 - 3], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }

        /// <summary>The stack's process id.</summary>
        public int ProcessId => _process.Id;
        /// <summary>The stack's data folder.</summary>
        public string DataDirectory => Path.Combine(_folder, "data");
        /// <summary>The stack's resident memory (Linux: VmRSS; elsewhere the working set).</summary>
        public long Rss
        {
            get
            {
                _process.Refresh();
                return _process.WorkingSet64;
            }
        }
        /// <summary>From the process start to its ready file.</summary>
        public TimeSpan ReadyAfter { get; }

        /// <summary>Starts a stack whose catalog has the no-op job and <paramref name="moreJobs"/> (catalog entries, comma-separated).</summary>
        public static async Task<LocalStackProcess> StartAsync(string dll, string moreJobs = "", Func<string, Task>? prepareData = null)
        {
            var folder = Directory.CreateTempSubdirectory("batchps-bench-").FullName;
            if (prepareData is not null) await prepareData(Path.Combine(folder, "data"));
            var catalog = Path.Combine(folder, "catalog.json");
            var noop = OperatingSystem.IsWindows() ? "[\"cmd.exe\", \"/c\", \"exit 0\"]" : "[\"/bin/true\"]";
            var more = moreJobs.Length == 0 ? "" : ", " + moreJobs;
            await File.WriteAllTextAsync(catalog, $$"""{"jobs": [{"name": "noop", "command": {{noop}}}{{more}}]}""");
            var ready = Path.Combine(folder, "ready.json");
            var apiKey = Convert.ToHexString(Guid.NewGuid().ToByteArray());
            return await StartAsync(folder, apiKey, new Dictionary<string, string> { ["BATCHPS_API_KEY"] = apiKey },
                dll, "serve", "--port", "0", "--data", Path.Combine(folder, "data"), "--catalog", catalog, "--ready-file", ready);
        }

        /// <summary>
        /// Starts the bare Kestrel endpoint (this program's <see cref="Limits.BareKestrelVerb"/>) in its own process, with the
        /// stack's runtime settings (no tiered PGO, no thread-pool spinning).
        /// </summary>
        public static async Task<LocalStackProcess> StartBareKestrelAsync()
        {
            var folder = Directory.CreateTempSubdirectory("batchps-bench-kestrel-").FullName;
            var environment = new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0", ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" };
            return await StartAsync(folder, "", environment, typeof(Limits).Assembly.Location, Limits.BareKestrelVerb, Path.Combine(folder, "ready.json"));
        }

        private static async Task<LocalStackProcess> StartAsync(string folder, string apiKey, Dictionary<string, string> environment, params string[] arguments)
        {
            var ready = Path.Combine(folder, "ready.json");
            var clock = Stopwatch.StartNew();
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            foreach (var (name, value) in environment) start.Environment[name] = value;
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[local stack] " + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(ready))
            {
                if (process.HasExited) throw new InvalidOperationException($"The local stack exited with code {process.ExitCode} before it was ready.");
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The local stack was not ready within 60 s.");
                await Task.Delay(2);
            }
            var readyAfter = clock.Elapsed;
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(ready));
            return new LocalStackProcess(process, folder, doc.RootElement.GetProperty("endpoint").GetString()!, apiKey, readyAfter);
        }

        public HttpClient CreateClient(int connections)
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false }) { BaseAddress = new Uri(Endpoint) };
            client.DefaultRequestHeaders.Add("x-api-key", ApiKey);
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    internal static class Api
    {
        public static async Task<TriggerRecord> SendAsync(HttpClient http, string jobName)
        {
            var body = $$"""{"jobName": "{{jobName}}", "client": "bench", "idempotencyKey": "{{Guid.NewGuid():N}}"}""";
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("triggers", content);
            return await ReadAsync(response);
        }

        public static async Task<TriggerRecord> GetAsync(HttpClient http, string triggerId)
        {
            using var response = await http.GetAsync("triggers/" + triggerId);
            return await ReadAsync(response);
        }

        private static async Task<TriggerRecord> ReadAsync(HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
            return JsonSerializer.Deserialize<TriggerRecord>(text, BatchPsJson.Lenient)!;
        }
    }

    internal static class Accept
    {
        public sealed record Result(double PerSecond, List<double> Latencies, int Errors, double CpuMs = 0);

        public static async Task<Result> RunAsync(HttpClient http, int clients, TimeSpan duration, CancellationToken ct)
        {
            var latencies = new List<double>[clients];
            var errors = 0;
            var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                var mine = latencies[c] = new List<double>();
                while (Stopwatch.GetTimestamp() < stopAt && !ct.IsCancellationRequested)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        await Api.SendAsync(http, "noop");
                        mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }));
            wall.Stop();
            var all = latencies.SelectMany(l => l).ToList();
            return new Result(all.Count / wall.Elapsed.TotalSeconds, all, errors);
        }

        public static async Task<Result> RunAtRateAsync(HttpClient http, int perSecond, TimeSpan duration)
        {
            var count = (int)(perSecond * duration.TotalSeconds);
            var latencies = new double[count];
            var errors = 0;
            var sends = new Task[count];
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)((double)i / perSecond * Stopwatch.Frequency);
                // Sleep, never spin: the load generator shares the two cores with the stack it measures.
                // A request fired a little late is still timed from its scheduled moment.
                while (Stopwatch.GetTimestamp() < due) await Task.Delay(1);
                var index = i;
                sends[i] = Task.Run(async () =>
                {
                    try
                    {
                        await Api.SendAsync(http, "noop");
                        latencies[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    }
                    catch (HttpRequestException)
                    {
                        latencies[index] = double.NaN;
                        Interlocked.Increment(ref errors);
                    }
                });
            }
            await Task.WhenAll(sends);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var ok = latencies.Where(l => !double.IsNaN(l)).ToList();
            return new Result(ok.Count / elapsed, ok, errors);
        }
    }

    internal static class Stats
    {
        public static double Percentile(this List<double> values, double p)
        {
            if (values.Count == 0) return double.NaN;
            var sorted = values.OrderBy(v => v).ToList();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }
    }
}
