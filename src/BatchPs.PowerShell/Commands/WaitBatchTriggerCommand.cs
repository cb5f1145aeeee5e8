using System.Management.Automation;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Waits until triggers reach a final status and writes their final records.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "BatchTrigger")]
[OutputType(typeof(TriggerRecord))]
public sealed class WaitBatchTriggerCommand : BatchTriggerCommandBase
{
    private readonly List<(BatchTriggerClient Client, string TriggerId)> _triggers = new();

    /// <summary>The triggers to wait for: ids, piped strings, or piped records (Send-BatchTrigger's output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UnfinishedTriggerIdCompleter))]
    public string[] TriggerId { get; set; } = Array.Empty<string>();

    /// <summary>Returns when the first of the triggers ends, as Wait-Job -Any does.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary>Most seconds to wait, for all the triggers together; -1 (default) waits for ever.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = ResolveClient();
        foreach (var id in TriggerId)
        {
            if (!_triggers.Any(t => t.TriggerId == id && t.Client == client)) _triggers.Add((client, id));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => WaitFor(_triggers, Timeout, Any);
}
