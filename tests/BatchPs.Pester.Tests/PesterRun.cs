using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace BatchPs.Pester.Tests;

/// <summary>
/// One run of tests/pester/Invoke-PesterSuite.ps1 in the real pwsh: <c>dotnet tool restore</c> (the manifest in
/// .config/ pins PowerShell 7.6.10), then <c>dotnet tool run pwsh</c> with artifacts/module on PSModulePath.
/// </summary>
public sealed class PesterRun
{
    private static readonly object RestoreLock = new();
    private static bool _restored;

    private PesterRun(int exitCode, string output, JsonDocument? summary)
    {
        ExitCode = exitCode;
        Output = output;
        Summary = summary;
    }

    public static string RepoRoot { get; } = Metadata("BatchPsRepoRoot");
    public static string Pester5Manifest { get; } = Metadata("BatchPsPester5");
    public static string Pester6Manifest { get; } = Metadata("BatchPsPester6");

    public int ExitCode { get; }
    public string Output { get; }
    public JsonDocument? Summary { get; }

    public static PesterRun Run(string pesterManifest)
    {
        Assert.True(File.Exists(pesterManifest), $"Pester is not where the project's restore puts it: {pesterManifest}");
        RestoreTools();
        var resultPath = Path.Combine(Path.GetTempPath(), "batchps-pester-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (exitCode, output) = Dotnet(TimeSpan.FromMinutes(30), "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File",
                Path.Combine(RepoRoot, "tests", "pester", "Invoke-PesterSuite.ps1"), "-PesterManifest", pesterManifest, "-ResultPath", resultPath);
            var summary = File.Exists(resultPath) ? JsonDocument.Parse(File.ReadAllText(resultPath)) : null;
            return new PesterRun(exitCode, output, summary);
        }
        finally
        {
            File.Delete(resultPath);
        }
    }

    /// <summary>Fails naming every failed Pester test, block and container, with the run's output tail.</summary>
    public void AssertPassed(string pesterVersionPrefix)
    {
        if (Summary is null)
            Assert.Fail($"The Pester run wrote no summary (pwsh exit code {ExitCode}). Its output:\n{Tail(Output)}");
        var root = Summary.RootElement;
        Assert.StartsWith(pesterVersionPrefix, root.GetProperty("pesterVersion").GetString());
        var failures = root.GetProperty("failures").EnumerateArray()
            .Select(f => $"- {f.GetProperty("kind").GetString()} '{f.GetProperty("name").GetString()}': {f.GetProperty("message").GetString()}")
            .ToList();
        if (failures.Count > 0 || root.GetProperty("result").GetString() != "Passed" || ExitCode != 0)
        {
            Assert.Fail($"Pester {root.GetProperty("pesterVersion").GetString()}: {root.GetProperty("failed").GetInt32()} failed, {root.GetProperty("passed").GetInt32()} passed (pwsh exit code {ExitCode}).\n"
                + string.Join("\n", failures) + "\n----- output -----\n" + Tail(Output));
        }
        // A run that found no tests is not a pass.
        Assert.True(root.GetProperty("passed").GetInt32() >= 20, $"Only {root.GetProperty("passed").GetInt32()} Pester tests ran:\n{Tail(Output)}");
    }

    private static void RestoreTools()
    {
        lock (RestoreLock)
        {
            if (_restored) return;
            var (exitCode, output) = Dotnet(TimeSpan.FromMinutes(5), "tool", "restore");
            Assert.True(exitCode == 0, "dotnet tool restore failed:\n" + output);
            _restored = true;
        }
    }

    private static (int ExitCode, string Output) Dotnet(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = RepoRoot,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The module by name, as an installed one: artifacts/module holds the BatchPs folder.
        start.Environment["PSModulePath"] = Path.Combine(RepoRoot, "artifacts", "module");
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("BATCHPS_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["NO_COLOR"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(" ", arguments)} did not end within {timeout.TotalMinutes} min. Its output:\n{Tail(output.ToString())}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n');
        return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 200)));
    }

    private static string Metadata(string key) => typeof(PesterRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
