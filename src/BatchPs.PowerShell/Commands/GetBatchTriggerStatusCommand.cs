using System.Management.Automation;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the current record of one or more triggers.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerStatus")]
[OutputType(typeof(TriggerRecord))]
public sealed class GetBatchTriggerStatusCommand : TriggerLookupCommandBase
{
    /// <inheritdoc />
    protected override void Look(BatchTriggerClient client, string triggerId) =>
        WriteWithEndpoint(Run(client.GetAsync(triggerId, Retries, StopToken)), client);
}
