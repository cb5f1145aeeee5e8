using System.Management.Automation;
using BatchPs.Admin.Stacks;
using BatchPs.Core.Api;
using BatchPs.Core.Catalog;
using BatchPs.Core.Client;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the catalog jobs a trigger can start: from any stack's API (GET /jobs), or, for an admin, the cloud catalog table itself.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerJob", DefaultParameterSetName = ConnectionSet)]
[OutputType(typeof(JobSummary), ParameterSetName = new[] { ConnectionSet })]
[OutputType(typeof(JobCatalogEntry), ParameterSetName = new[] { CatalogSet })]
public sealed class GetBatchTriggerJobCommand : BatchTriggerCommandBase
{
    private const string ConnectionSet = "Connection";
    private const string CatalogSet = "Catalog";
    private static readonly string[] AllNames = { "*" };

    /// <summary>Job names; wildcards allowed (default: every job). Binds from piped objects' Name, not from piped values: a piped stack is the connection.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Reads the catalog table of this cloud stack with AWS credentials (the whole entries, as an admin registered them).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CatalogSet)]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = StackNames.Default;

    /// <summary>Reads this catalog table with AWS credentials (skips the stack lookup).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "CatalogTable")]
    [ValidateNotNullOrEmpty]
    public string? TableName { get; set; }

    /// <summary>Sends every AWS call to this URL (a VPC endpoint, a test server); only with -StackName or -TableName.</summary>
    [Parameter(ParameterSetName = CatalogSet)]
    [Parameter(ParameterSetName = "CatalogTable")]
    [ValidateNotNull]
    public Uri? EndpointUrl { get; set; }

    private readonly List<string> _names = new();

    /// <inheritdoc />
    protected override void ProcessRecord() => _names.AddRange(Name ?? Array.Empty<string>());

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var names = _names.Count == 0 ? AllNames : _names.ToArray();
        if (ParameterSetName == ConnectionSet) FromApi(names);
        else FromCatalogTable(names);
    }

    private void FromApi(string[] names)
    {
        var client = ResolveClient();
        IReadOnlyList<JobSummary> jobs;
        try
        {
            jobs = Run(client.GetJobsAsync(StopToken));
        }
        catch (BatchTriggerException ex)
        {
            throw Terminate(ApiError(ex, client.Endpoint, client));
        }
        Write(jobs, j => j.Name, names, $"the stack at {client.Endpoint}", "Get-BatchTriggerJob without a name lists the jobs it has");
    }

    private void FromCatalogTable(string[] names)
    {
        var (admin, table) = OpenCatalog(EndpointUrl, TableName, StackName);
        using (admin)
        {
            try
            {
                var listing = Run(admin.ListAsync(table, StopToken));
                foreach (var problem in listing.Problems) WriteWarning($"Catalog table {table}: {problem}");
                Write(listing.Entries, e => e.Name, names, table, "Register it with Register-BatchTriggerJob");
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteError(ErrorFor(ex, table));
            }
        }
    }

    /// <summary>Writes the jobs whose names match, and a JobNotRegistered error for each plain name that matched none.</summary>
    private void Write<T>(IEnumerable<T> jobs, Func<T, string> nameOf, string[] names, string where, string hint)
    {
        var list = jobs.ToList();
        var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var job in list.Where(j => patterns.Any(p => p.IsMatch(nameOf(j))))) WriteObject(job);
        foreach (var name in names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
        {
            if (list.All(j => !string.Equals(nameOf(j), name, StringComparison.OrdinalIgnoreCase)))
                WriteError(BatchPsErrors.Create(new ItemNotFoundException($"Job '{name}' is not in {where}. {hint}."), "JobNotRegistered", ErrorCategory.ObjectNotFound, name));
        }
    }
}
