using System.Management.Automation;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Removes jobs from the cloud job catalog; triggers for them are rejected from then on.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "BatchTriggerJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(BatchPs.Core.Catalog.JobCatalogEntry))]
public sealed class UnregisterBatchTriggerJobCommand : CatalogCommandBase
{
    private readonly List<string> _names = new();

    /// <summary>The job names; binds from piped catalog entries.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Writes each removed entry.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Does it without asking for confirmation (-WhatIf still only shows what it would do).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => _names.AddRange(Name);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_names.Count == 0) return;
        var (admin, table) = OpenCatalog();
        using (admin)
        {
            foreach (var name in _names)
            {
                if (!ShouldProcessUnlessForced(Force, $"{name} in {table}", "Unregister the job")) continue;
                try
                {
                    var (removed, entry) = Await(admin.UnregisterAsync(table, name, StopToken));
                    if (removed && PassThru && entry is not null) WriteObject(entry);
                    if (!removed)
                        WriteError(BatchPsErrors.Create(new ItemNotFoundException($"Job '{name}' is not registered in {table}; nothing to remove."), "JobNotRegistered", ErrorCategory.ObjectNotFound, name));
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    WriteError(ErrorFor(ex, name));
                }
            }
        }
    }
}
