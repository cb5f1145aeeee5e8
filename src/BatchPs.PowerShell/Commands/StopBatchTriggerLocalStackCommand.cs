using System.Management.Automation;
using BatchPs.Core.Client;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Stops a local stack started by Start-BatchTriggerLocalStack and removes its temp data folder.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "BatchTriggerLocalStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LocalStackInstance))]
public sealed class StopBatchTriggerLocalStackCommand : BatchPsCmdlet
{
    /// <summary>The stack, as Start-BatchTriggerLocalStack returned it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public LocalStackInstance? InputObject { get; set; }

    /// <summary>Keeps the data folder (database and job logs) even when Start-BatchTriggerLocalStack made it.</summary>
    [Parameter]
    public SwitchParameter KeepData { get; set; }

    /// <summary>Seconds to wait for a graceful stop before the process is ended (default 10).</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int Timeout { get; set; } = 10;

    /// <summary>Writes the stopped stack to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var instance = InputObject!;
        if (!ShouldProcess($"{instance.Endpoint} (process {instance.ProcessId})", "Stop the BatchPs local stack")) return;
        try
        {
            var wasRunning = LocalStackLauncher.Stop(instance, TimeSpan.FromSeconds(Timeout), KeepData.IsPresent);
            WriteVerbose(wasRunning ? $"Stopped the local stack at {instance.Endpoint}." : $"The local stack at {instance.Endpoint} had already exited.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(BatchPsErrors.Create(ex, "LocalStackDataNotRemoved", ErrorCategory.WriteError, instance.DataDirectory));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            WriteError(BatchPsErrors.Create(ex, "LocalStackStopFailed", ErrorCategory.InvalidOperation, instance));
        }
        if (PassThru) WriteObject(instance);
    }
}
