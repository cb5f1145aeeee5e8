using BatchPs.Core.Catalog;

namespace BatchPs.Core.Api;

/// <summary>The body of <c>GET /jobs</c>: <c>{"jobs": [...]}</c>, sorted by name (ordinal).</summary>
public sealed class JobList
{
    /// <summary>The catalog's entries, public fields only.</summary>
    public List<JobSummary> Jobs { get; set; } = new();

    /// <summary>The list of <paramref name="entries"/>, sorted by name.</summary>
    public static JobList From(IEnumerable<JobCatalogEntry> entries) =>
        new() { Jobs = entries.Select(JobSummary.From).OrderBy(j => j.Name, StringComparer.Ordinal).ToList() };
}
