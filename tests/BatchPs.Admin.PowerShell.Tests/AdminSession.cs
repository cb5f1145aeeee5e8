using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.PowerShell.Tests;

/// <summary>A real PowerShell 7.6 runspace with the built module imported, and a fake AWS on loopback to point it at.</summary>
internal sealed class AdminSession : IAsyncDisposable
{
    private readonly Runspace _runspace;

    private AdminSession(Runspace runspace, FakeAws aws, string folder, Result import)
    {
        _runspace = runspace;
        Aws = aws;
        Folder = folder;
        Import = import;
    }

    public FakeAws Aws { get; }
    public string Folder { get; }
    public Result Import { get; }

    public static string ModuleManifest => Metadata("BatchPsModuleManifest");
    public static string OlderAwsSdkCore => Metadata("OlderAwsSdkCore");

    /// <summary>Common parameters that point a cmdlet at the fake with literal keys.</summary>
    public string Aws_ => $"-EndpointUrl '{Aws.Endpoint}' -Region {FakeAws.Region} -AccessKey {FakeAws.AccessKey} -SecretKey '{FakeAws.SecretKey}'";

    public string TemplatePath => Path.Combine(Folder, "cloudformation", "template.yaml");
    public string PackagePath => Path.Combine(Folder, "artifacts", "lambda", "BatchPs.Lambda.zip");

    /// <summary>Opens a runspace, runs <paramref name="before"/> (e.g. loading another AWSSDK.Core), then imports the module.</summary>
    public static async Task<AdminSession> StartAsync(string? before = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "batchps-adminps-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        FakeTemplate.WriteTo(folder);
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("ConnectionsDir", Path.Combine(folder, "connections"));
        var aws = await FakeAws.StartAsync();
        var script = (before ?? "") + $"\n$env:BATCHPS_CONNECTIONS_DIR = $ConnectionsDir\n$env:BATCHPS_AWS_POLL_INTERVAL_MS = '5'\nImport-Module '{ModuleManifest}' -WarningVariable importWarnings -ErrorAction Stop\n$importWarnings";
        var import = Run(runspace, script);
        if (import.Errors.Count > 0) throw new InvalidOperationException("Import failed: " + string.Join("; ", import.Errors));
        return new AdminSession(runspace, aws, folder, import);
    }

    public Result Run(string script) => Run(_runspace, script);

    private static Result Run(Runspace runspace, string script)
    {
        using var ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddScript(script);
        var output = new List<PSObject>();
        RuntimeException? terminating = null;
        try
        {
            output.AddRange(ps.Invoke());
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }
        return new Result(output, ps.Streams.Error.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Progress.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(), terminating);
    }

    private static string Metadata(string key) =>
        typeof(AdminSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public async ValueTask DisposeAsync()
    {
        _runspace.Dispose();
        await Aws.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    public sealed record Result(List<PSObject> Output, List<ErrorRecord> Errors, List<string> Verbose, List<ProgressRecord> Progress, List<string> Warnings, RuntimeException? Terminating)
    {
        /// <summary>The error records, the terminating one included.</summary>
        public IEnumerable<ErrorRecord> AllErrors => Terminating?.ErrorRecord is { } t ? Errors.Append(t) : Errors;
    }
}
