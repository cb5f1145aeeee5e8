using BatchPs.Core.Catalog;

namespace BatchPs.Core.Api;

/// <summary>
/// What <c>GET /jobs</c> shows of a catalog entry: what a caller may start and pass. Never the command line, queue,
/// definition, environment, working folder, tags or anything else an admin did not mean to show.
/// </summary>
public sealed class JobSummary
{
    /// <summary>The name a trigger names.</summary>
    public string Name { get; set; } = "";

    /// <summary>The entry's description, if any.</summary>
    public string? Description { get; set; }

    /// <summary>The declared parameters with their defaults (null: required).</summary>
    public Dictionary<string, string?> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The SubmitJob fields a trigger may override.</summary>
    public List<string> AllowOverrides { get; set; } = new();

    /// <summary>The public part of a catalog entry (copies; the entry is not shared).</summary>
    public static JobSummary From(JobCatalogEntry entry)
    {
        if (entry is null) throw new ArgumentNullException(nameof(entry));
        return new JobSummary
        {
            Name = entry.Name,
            Description = entry.Description,
            Parameters = new Dictionary<string, string?>(entry.Parameters, StringComparer.Ordinal),
            AllowOverrides = new List<string>(entry.AllowOverrides),
        };
    }
}
