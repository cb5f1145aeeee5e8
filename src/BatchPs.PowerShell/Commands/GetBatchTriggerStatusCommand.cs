using System.Management.Automation;
using BatchPs.Client;
using BatchPs.Triggers;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the current record of one or more triggers.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerStatus")]
[OutputType(typeof(TriggerRecord))]
public sealed class GetBatchTriggerStatusCommand : BatchTriggerCommandBase
{
    /// <summary>The trigger ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] TriggerId { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = ResolveClient();
        foreach (var id in TriggerId)
        {
            try
            {
                WriteRecord(Run(client.GetAsync(id, StopToken)), client);
            }
            catch (BatchTriggerException ex)
            {
                WriteError(BatchPsErrors.FromApi(ex, id));
            }
        }
    }
}
