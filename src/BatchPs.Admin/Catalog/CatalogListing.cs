using BatchPs.Core.Catalog;

namespace BatchPs.Admin.Catalog;

/// <summary>The catalog table's entries, and the items that could not be read (each with its fix).</summary>
public sealed class CatalogListing
{
    /// <summary>Creates the listing.</summary>
    public CatalogListing(IReadOnlyList<JobCatalogEntry> entries, IReadOnlyList<string> problems)
    {
        Entries = entries;
        Problems = problems;
    }

    /// <summary>The readable entries, by name.</summary>
    public IReadOnlyList<JobCatalogEntry> Entries { get; }
    /// <summary>One line per unreadable item.</summary>
    public IReadOnlyList<string> Problems { get; }
}
