using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace BatchPs.PowerShell.Tests;

/// <summary>A real PowerShell 7.6 runspace with the built BatchPs module imported.</summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create(_runspace);
        ps.AddCommand("Import-Module").AddParameter("Name", ModuleManifest).AddParameter("PassThru").AddParameter("Verbose");
        ImportResult = Collect(ps, ps.Invoke());
        if (ImportResult.Errors.Count > 0)
            throw new InvalidOperationException("Import-Module failed: " + string.Join("; ", ImportResult.Errors));
    }

    /// <summary>The built module manifest (the path is stamped into this assembly at build).</summary>
    public static string ModuleManifest { get; } = typeof(PowerShellSession).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BatchPsModuleManifest").Value!;

    /// <summary>What Import-Module wrote.</summary>
    public ScriptResult ImportResult { get; }

    /// <summary>Runs a script; <paramref name="variables"/> are set as session variables first.</summary>
    public ScriptResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create(_runspace);
        return Run(ps, script, variables);
    }

    /// <summary>A PowerShell instance on this session's runspace (to stop a run from another thread).</summary>
    public System.Management.Automation.PowerShell CreatePowerShell() => System.Management.Automation.PowerShell.Create(_runspace);

    /// <summary>Runs a script on an instance from <see cref="CreatePowerShell"/>.</summary>
    public ScriptResult Run(System.Management.Automation.PowerShell ps, string script, IDictionary<string, object?>? variables = null)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
            _runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        try
        {
            return Collect(ps, ps.Invoke());
        }
        catch (RuntimeException ex)
        {
            return Collect(ps, new Collection<PSObject>(), ex);
        }
    }

    public void Dispose() => _runspace.Dispose();

    private static ScriptResult Collect(System.Management.Automation.PowerShell ps, Collection<PSObject> output, RuntimeException? terminating = null) =>
        new(output.ToList(), ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(), ps.Streams.Progress.ToList(), terminating);
}
