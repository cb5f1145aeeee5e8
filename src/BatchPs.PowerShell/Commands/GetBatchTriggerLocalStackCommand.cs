using System.Management.Automation;
using BatchPs.Core.Client;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the local stacks of the current user that are running, including those an earlier session left running.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerLocalStack")]
[OutputType(typeof(LocalStackInstance))]
public sealed class GetBatchTriggerLocalStackCommand : BatchPsCmdlet
{
    /// <summary>Only the stack listening on this port.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        foreach (var instance in LocalStackRegistry.List())
        {
            if (Port != 0 && instance.Endpoint.Port != Port) continue;
            WriteObject(instance);
        }
    }
}
