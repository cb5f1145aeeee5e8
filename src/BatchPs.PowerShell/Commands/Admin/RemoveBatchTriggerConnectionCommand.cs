using System.Management.Automation;
using BatchPs.Core.Connections;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Deletes saved connections (the endpoint and the protected API key) of the current user.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "BatchTriggerConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SavedConnection))]
public sealed class RemoveBatchTriggerConnectionCommand : BatchPsCmdlet
{
    /// <summary>The connection names; binds from piped connections.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Writes each removed connection.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = new SavedConnectionStore();
        foreach (var name in Name)
        {
            if (!ShouldProcess($"{name} in {store.Folder}", "Delete the saved connection")) continue;
            try
            {
                var removed = PassThru ? store.Find(name) : null;
                if (store.Remove(name))
                {
                    if (removed is not null) WriteObject(removed);
                }
                else
                {
                    WriteError(BatchPsErrors.Create(new ItemNotFoundException($"No saved connection '{name}' in {store.Folder}."), "ConnectionNotFound", ErrorCategory.ObjectNotFound, name));
                }
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
            {
                WriteError(BatchPsErrors.Create(ex, ex is ArgumentException ? "InvalidArgument" : "ConnectionNotRemoved", ex is ArgumentException ? ErrorCategory.InvalidArgument : ErrorCategory.WriteError, name));
            }
        }
    }
}
