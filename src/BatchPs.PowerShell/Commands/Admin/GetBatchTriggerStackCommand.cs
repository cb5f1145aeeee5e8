using System.Management.Automation;
using BatchPs.Admin.Stacks;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Gets the BatchPs cloud stack: its status, endpoint, API key id, tables and state machine.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerStack")]
[OutputType("BatchPs.Admin.Stacks.StackInfo")]
public sealed class GetBatchTriggerStackCommand : AwsCommandBase
{
    /// <summary>The stack name (default BatchPs).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = StackNames.Default;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            using var admin = CreateStackAdmin();
            var stack = Await(admin.GetStackAsync(StackName, StopToken));
            if (stack is null)
            {
                WriteError(BatchPsErrors.Create(
                    new ItemNotFoundException($"Stack {StackName} does not exist in {admin.Region}. Deploy it with Deploy-BatchTriggerStack, or check -StackName and -Region."),
                    "StackNotFound", ErrorCategory.ObjectNotFound, StackName));
                return;
            }
            WriteObject(stack);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(ErrorFor(ex, StackName));
        }
    }
}
