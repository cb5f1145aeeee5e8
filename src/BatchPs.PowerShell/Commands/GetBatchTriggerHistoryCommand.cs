using System.Management.Automation;
using BatchPs.Core.Client;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the workflow execution history of one or more triggers: states entered and exited, and the transition count.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerHistory")]
[OutputType(typeof(TriggerHistory))]
public sealed class GetBatchTriggerHistoryCommand : TriggerLookupCommandBase
{
    /// <inheritdoc />
    protected override void Look(BatchTriggerClient client, string triggerId) =>
        WriteWithEndpoint(Run(client.GetHistoryAsync(triggerId, Retries, StopToken)), client);
}
