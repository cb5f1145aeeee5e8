using System.Management.Automation;
using BatchPs.Core.Catalog;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Lists the jobs registered in the cloud job catalog.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerJob")]
[OutputType(typeof(JobCatalogEntry))]
public sealed class GetBatchTriggerJobCommand : CatalogCommandBase
{
    private static readonly string[] AllNames = { "*" };

    /// <summary>Job names; wildcards allowed (default: every job).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var (admin, table) = OpenCatalog();
        using (admin)
        {
            try
            {
                var listing = Await(admin.ListAsync(table, StopToken));
                foreach (var problem in listing.Problems) WriteWarning($"Catalog table {table}: {problem}");
                var patterns = (Name ?? AllNames).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
                foreach (var entry in listing.Entries.Where(e => patterns.Any(p => p.IsMatch(e.Name))))
                    WriteObject(entry);
                foreach (var name in Name ?? Array.Empty<string>())
                {
                    if (!WildcardPattern.ContainsWildcardCharacters(name) && listing.Entries.All(e => !string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)))
                        WriteError(BatchPsErrors.Create(new ItemNotFoundException($"Job '{name}' is not registered in {table}. Register it with Register-BatchTriggerJob."), "JobNotRegistered", ErrorCategory.ObjectNotFound, name));
                }
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteError(ErrorFor(ex, table));
            }
        }
    }
}
