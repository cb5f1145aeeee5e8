using System.Management.Automation;
using BatchPs.Admin.Stacks;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Deletes the BatchPs cloud stack and waits until CloudFormation has removed it.</para>
/// <para type="description">Streams the deletion's events as progress and verbose output. The trigger table is kept
/// or deleted as the template's deletion policy says (see about_BatchPs); the artifact bucket is kept.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "BatchTriggerStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("BatchPs.Admin.Stacks.StackInfo")]
public sealed class RemoveBatchTriggerStackCommand : AwsCommandBase
{
    /// <summary>The stack name (default BatchPs); binds from a piped stack.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = StackNames.Default;

    /// <summary>Writes the deleted stack (status DELETE_COMPLETE) when done.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Does it without asking for confirmation (-WhatIf still only shows what it would do).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!ShouldProcessUnlessForced(Force, StackName, "Delete the BatchPs stack and every resource it created")) return;
        try
        {
            using var admin = CreateStackAdmin();
            var removed = RunWithStackEvents($"Removing stack {StackName}", (observer, token) => admin.RemoveAsync(StackName, observer, token));
            if (removed is null)
            {
                WriteError(BatchPsErrors.Create(
                    new ItemNotFoundException($"Stack {StackName} does not exist in {admin.Region}; nothing to remove. Check -StackName and -Region."),
                    "StackNotFound", ErrorCategory.ObjectNotFound, StackName));
                return;
            }
            if (PassThru) WriteObject(removed);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(ErrorFor(ex, StackName));
        }
    }
}
