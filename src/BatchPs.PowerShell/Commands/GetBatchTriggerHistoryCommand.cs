using System.Management.Automation;
using BatchPs.Client;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the workflow execution history of one or more triggers: states entered and exited, and the transition count.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerHistory")]
[OutputType(typeof(TriggerHistory))]
public sealed class GetBatchTriggerHistoryCommand : BatchTriggerCommandBase
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
                var output = PSObject.AsPSObject(Run(client.GetHistoryAsync(id, StopToken)));
                output.Properties.Add(new PSNoteProperty(nameof(Endpoint), client.Endpoint));
                WriteObject(output);
            }
            catch (BatchTriggerException ex)
            {
                WriteError(BatchPsErrors.FromApi(ex, id));
            }
        }
    }
}
