using System.Management.Automation;
using System.Security;
using BatchPs.Core.Client;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Starts the local stack (the trigger API, store and job runner on this machine) as a background process.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "BatchTriggerLocalStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(LocalStackInstance))]
public sealed class StartBatchTriggerLocalStackCommand : BatchPsCmdlet
{
    /// <summary>The loopback port; 0 (default) picks a free one.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>The data folder (database, job logs); default a fresh temp folder, removed by Stop-BatchTriggerLocalStack.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DataDirectory { get; set; }

    /// <summary>The job catalog file; default the sample catalog shipped with the module.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>Most jobs running at once; default the core count.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int Concurrency { get; set; }

    /// <summary>Days a final trigger (its record, history and job logs) is kept after it was created; default 90, as the cloud stack's RecordRetentionDays.</summary>
    [Parameter]
    [ValidateRange(1, 3650)]
    public int RecordRetentionDays { get; set; }

    /// <summary>HTTP connections the stack keeps at once (more are closed as they come); default from the open-file limit.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int MaxConnections { get; set; }

    /// <summary>The API key the stack requires; default a random one (read it from the output's ApiKey).</summary>
    [Parameter]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>Keeps the stack running after this PowerShell session ends (by default the session's end stops it); find it again with Get-BatchTriggerLocalStack.</summary>
    [Parameter]
    public SwitchParameter KeepRunning { get; set; }

    /// <summary>Most seconds to wait for the stack to listen (default 60).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int StartTimeout { get; set; } = 60;

    // A hosted runspace that closes ends the session too; the process's own end is ModuleInitAndCleanup's.
    private static void StopWithRunspace(LocalStackInstance instance)
    {
        if (System.Management.Automation.Runspaces.Runspace.DefaultRunspace is not { } runspace) return;
        void Stop(object? sender, System.Management.Automation.Runspaces.RunspaceStateEventArgs e)
        {
            if (e.RunspaceStateInfo.State is not (System.Management.Automation.Runspaces.RunspaceState.Closed or System.Management.Automation.Runspaces.RunspaceState.Broken)) return;
            runspace.StateChanged -= Stop;
            LocalStackLauncher.StopStarted(i => i.ProcessId == instance.ProcessId);
        }
        runspace.StateChanged += Stop;
    }

    private string ValidKey(SecureString key)
    {
        try
        {
            return ApiKeyText.Normalize(SecureText.ToPlain(key));
        }
        catch (ArgumentException ex)
        {
            throw Terminate(BatchPsErrors.Create(new PSArgumentException("-ApiKey: " + ex.Message, ex), "InvalidApiKey", ErrorCategory.InvalidArgument, null));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(StartBatchTriggerLocalStackCommand).Assembly.Location) ?? ".", "localstack", "BatchPs.LocalStack.dll");
        var options = new LocalStackStartOptions(dll)
        {
            Port = Port,
            DataDirectory = DataDirectory is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(DataDirectory),
            Concurrency = Concurrency > 0 ? Concurrency : null,
            RecordRetentionDays = RecordRetentionDays > 0 ? RecordRetentionDays : null,
            MaxConnections = MaxConnections > 0 ? MaxConnections : null,
            ApiKey = ApiKey is null ? null : ValidKey(ApiKey),
            StartTimeout = TimeSpan.FromSeconds(StartTimeout),
            KeepRunning = KeepRunning.IsPresent,
        };
        if (CatalogPath is not null)
        {
            options.CatalogPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CatalogPath);
            if (!File.Exists(options.CatalogPath))
            {
                throw Terminate(BatchPsErrors.Create(
                    new FileNotFoundException($"The catalog file '{options.CatalogPath}' does not exist. Pass the path of a catalog JSON file ({{\"jobs\": [...]}}), or leave -CatalogPath out for the sample catalog.", options.CatalogPath),
                    "CatalogNotFound", ErrorCategory.ObjectNotFound, options.CatalogPath));
            }
        }
        if (!ShouldProcess(options.DataDirectory ?? "a new temp data folder", "Start the BatchPs local stack")) return;

        WriteVerbose($"Starting {dll}.");
        try
        {
            var instance = Run(LocalStackLauncher.StartAsync(options, StopToken));
            WriteVerbose($"The local stack listens on {instance.Endpoint} (process {instance.ProcessId}, data in {instance.DataDirectory}); "
                + (KeepRunning ? "it runs on after this session (Get-BatchTriggerLocalStack finds it)." : "it stops when this session ends, if not before (Stop-BatchTriggerLocalStack)."));
            if (!KeepRunning) StopWithRunspace(instance);
            WriteObject(instance);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (FileNotFoundException ex)
        {
            throw Terminate(BatchPsErrors.Create(ex, ex.FileName == dll ? "LocalStackNotFound" : "DotnetNotFound", ErrorCategory.ObjectNotFound, ex.FileName));
        }
        catch (TimeoutException ex)
        {
            throw Terminate(BatchPsErrors.Create(ex, "LocalStackStartTimeout", ErrorCategory.OperationTimeout, dll));
        }
        catch (InvalidOperationException ex)
        {
            throw Terminate(BatchPsErrors.Create(ex, "LocalStackStartFailed", ErrorCategory.ResourceUnavailable, dll));
        }
    }
}
