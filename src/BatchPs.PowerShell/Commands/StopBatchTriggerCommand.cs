using System.Management.Automation;
using BatchPs.Core.Api;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Cancels one or more triggers: each becomes CANCELLED and its Batch job is terminated.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "BatchTrigger", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TriggerRecord))]
public sealed class StopBatchTriggerCommand : BatchTriggerCommandBase
{
    /// <summary>The trigger ids (plain strings or objects with a TriggerId property).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UnfinishedTriggerIdCompleter))]
    public string[] TriggerId { get; set; } = Array.Empty<string>();

    /// <summary>Why; becomes the record's status reason (default "Cancelled by request.").</summary>
    [Parameter]
    [ValidateLength(1, TriggerCancelRequest.MaxReasonLength)]
    public string? Reason { get; set; }

    /// <summary>Who cancels; becomes the record's CancelledBy (default: this computer's name).</summary>
    [Parameter]
    [ValidateLength(1, Limits.MaxClientLength)]
    public string Client { get; set; } = Environment.MachineName;

    /// <summary>Cancels without asking for confirmation (for scripts).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        BatchTriggerClient? client = null;
        foreach (var id in TriggerId)
        {
            var whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
            if (!(Force && !whatIf) && !ShouldProcess($"trigger {id}", "Cancel the trigger and terminate its job")) continue;
            client ??= ResolveClient();
            try
            {
                WriteWithEndpoint(Run(client.CancelAsync(id, new TriggerCancelRequest { Reason = Reason, Client = Client }, StopToken)), client);
            }
            catch (BatchTriggerException ex)
            {
                WriteError(BatchPsErrors.FromApi(ex, id));
            }
        }
    }
}
