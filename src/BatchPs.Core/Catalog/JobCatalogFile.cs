using System.Text.Json;
using BatchPs.Core.Json;

namespace BatchPs.Core.Catalog;

/// <summary>
/// The local stack's catalog file: <c>{"jobs": [ {entry}, ... ]}</c>. Loading either gives every
/// entry or throws <see cref="CatalogException"/> naming the file, the entry and the fix.
/// </summary>
public static class JobCatalogFile
{
    /// <summary>Reads and validates a catalog file.</summary>
    public static IReadOnlyList<JobCatalogEntry> Load(string path, bool requireCommand = true)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CatalogException($"Cannot read the catalog file '{path}': {ex.Message}", ex);
        }
        return Parse(text, path, requireCommand);
    }

    /// <summary>Parses and validates catalog JSON; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<JobCatalogEntry> Parse(string json, string source, bool requireCommand = true)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, BatchPsJson.Options);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } p ? $" at {p}" : "";
            var line = ex.LineNumber is long l ? $" (line {l + 1})" : "";
            throw new CatalogException($"The catalog file '{source}' is not valid{where}{line}: {FirstSentence(ex.Message)} Expected {{\"jobs\": [{{\"name\": \"hello\", \"command\": [\"...\"]}}]}}.", ex);
        }
        if (document?.Jobs is null)
            throw new CatalogException($"The catalog file '{source}' has no \"jobs\" array. Expected {{\"jobs\": [{{\"name\": \"hello\", \"command\": [\"...\"]}}]}}.");

        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Jobs.Count; i++)
        {
            var entry = document.Jobs[i];
            if (entry is null)
            {
                problems.Add($"jobs[{i}] is null.");
                continue;
            }
            entry.Parameters ??= new Dictionary<string, string?>(StringComparer.Ordinal);
            entry.AllowOverrides ??= new List<string>();
            var label = $"jobs[{i}] ('{entry.Name}')";
            foreach (var problem in JobCatalogRules.Validate(entry, requireCommand, requireBatch: false))
                problems.Add($"{label}: {problem}");
            if (!seen.Add(entry.Name))
                problems.Add($"{label}: the name is used twice; job names must be unique.");
        }
        if (problems.Count > 0)
            throw new CatalogException($"The catalog file '{source}' has {problems.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        return document.Jobs;
    }

    /// <summary>Writes a catalog document (used by tests and tooling).</summary>
    public static string Serialize(IEnumerable<JobCatalogEntry> entries) =>
        JsonSerializer.Serialize(new CatalogDocument { Jobs = entries.ToList() }, IndentedOptions);

    private static readonly JsonSerializerOptions IndentedOptions = new(BatchPsJson.Options) { WriteIndented = true };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message.Substring(0, cut + 1) : message;
    }

    private sealed class CatalogDocument
    {
        public List<JobCatalogEntry> Jobs { get; set; } = new();
    }
}

/// <summary>A catalog file or entry is malformed; the message says where and how to fix it.</summary>
public sealed class CatalogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CatalogException(string message, Exception? inner = null) : base(message, inner) { }
}
