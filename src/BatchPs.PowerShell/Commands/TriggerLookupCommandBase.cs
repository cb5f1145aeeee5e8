using System.Management.Automation;
using BatchPs.Core.Client;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// The shape of the cmdlets that look triggers up by id (<c>Get-BatchTriggerStatus</c>,
/// <c>Get-BatchTriggerHistory</c>): ids by parameter or pipeline (plain strings, or records by their
/// <c>TriggerId</c>), one API call each, an error record per id that fails (with the id as target) while the
/// others go on.
/// </summary>
public abstract class TriggerLookupCommandBase : BatchTriggerCommandBase
{
    /// <summary>The trigger ids; binds from piped strings and from piped objects' TriggerId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TriggerIdCompleter))]
    public string[] TriggerId { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = ResolveClient();
        foreach (var id in TriggerId)
        {
            try
            {
                Look(client, id);
            }
            catch (BatchTriggerException ex)
            {
                WriteError(ApiError(ex, id, client));
            }
        }
    }

    /// <summary>Looks up one trigger and writes what was found.</summary>
    protected abstract void Look(BatchTriggerClient client, string triggerId);
}
