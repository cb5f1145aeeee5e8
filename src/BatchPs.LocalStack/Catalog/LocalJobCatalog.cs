using BatchPs.Core.Catalog;
using BatchPs.Core.Workflow;

namespace BatchPs.LocalStack.Catalog;

/// <summary>The job catalog of the local stack: a JSON file (see <see cref="JobCatalogFile"/>), loaded once at start.</summary>
internal sealed class LocalJobCatalog : IJobCatalog
{
    private readonly Dictionary<string, JobCatalogEntry> _entries;

    private LocalJobCatalog(string path, IReadOnlyList<JobCatalogEntry> entries)
    {
        FilePath = path;
        _entries = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The catalog file (full path).</summary>
    public string FilePath { get; }

    /// <summary>The folder relative working directories are resolved against.</summary>
    public string BaseDirectory => Path.GetDirectoryName(FilePath)!;

    /// <summary>The entries, by name.</summary>
    public IReadOnlyCollection<JobCatalogEntry> Entries => _entries.Values;

    /// <summary>Loads and validates the file; throws <see cref="CatalogException"/> naming the file and the fix.</summary>
    public static LocalJobCatalog Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new CatalogException($"The catalog file '{full}' does not exist. Pass an existing file with --catalog FILE (or BATCHPS_LOCAL_CATALOG), or leave both out to use the sample catalog.");
        return new LocalJobCatalog(full, JobCatalogFile.Load(full));
    }

    /// <summary>The entry named <paramref name="jobName"/>, or null.</summary>
    public JobCatalogEntry? Find(string jobName) => _entries.TryGetValue(jobName, out var entry) ? entry : null;

    /// <inheritdoc />
    public Task<JobCatalogEntry?> FindAsync(string jobName, CancellationToken cancellationToken) => Task.FromResult(Find(jobName));
}
