using System.Globalization;
using System.Text.Json;
using BatchPs.Core.Connections;

namespace BatchPs.Core.Client;

/// <summary>
/// The current user's running local stacks, one file per stack (<c>&lt;pid&gt;.json</c>) in a folder only the user
/// can read (beside the saved connections), so a later session finds a stack an earlier one left running
/// (<c>Get-BatchTriggerLocalStack</c>). A file holds what <see cref="LocalStackInstance"/> holds, the API key protected as
/// saved connections protect theirs. Files of stacks that are gone are removed when listed.
/// </summary>
public static class LocalStackRegistry
{
    /// <summary>The folder of the files.</summary>
    public static string Folder => Path.Combine(Path.GetDirectoryName(SavedConnectionStore.DefaultFolder()) ?? ".", "localstacks");

    /// <summary>Records a started stack.</summary>
    internal static void Add(LocalStackInstance instance, string apiKey, bool keepRunning)
    {
        Directory.CreateDirectory(Folder);
        SecretProtection.RestrictToOwner(Folder, directory: true);
        var path = PathOf(instance.ProcessId);
        var entry = new Entry
        {
            Endpoint = instance.Endpoint.ToString(),
            ProcessId = instance.ProcessId,
            ProcessStartTime = instance.ProcessStartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            DataDirectory = instance.DataDirectory,
            OwnsDataDirectory = instance.OwnsDataDirectory,
            CatalogPath = instance.CatalogPath,
            LogPath = instance.LogPath,
            KeepRunning = keepRunning,
            ApiKey = SecretProtection.Protect(apiKey),
            Protection = SecretProtection.Kind,
        };
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            SecretProtection.RestrictToOwner(path, directory: false);
            JsonSerializer.Serialize(file, entry);
        }
    }

    /// <summary>Forgets a stack (it was stopped).</summary>
    internal static void Remove(int processId)
    {
        try
        {
            File.Delete(PathOf(processId));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Listed later as gone, and removed then.
        }
    }

    /// <summary>The user's stacks that still run, oldest first; files of stacks that are gone are removed.</summary>
    public static IReadOnlyList<LocalStackInstance> List()
    {
        var found = new List<LocalStackInstance>();
        if (!Directory.Exists(Folder)) return found;
        foreach (var path in Directory.GetFiles(Folder, "*.json"))
        {
            Entry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<Entry>(File.ReadAllBytes(path));
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                continue; // Being written, or not ours to read.
            }
            if (entry?.Endpoint is null || entry.ApiKey is null || entry.DataDirectory is null || entry.LogPath is null) continue;
            LocalStackInstance instance;
            try
            {
                instance = new LocalStackInstance(new Uri(entry.Endpoint), SecureText.FromPlain(SecretProtection.Unprotect(entry.ApiKey, entry.Protection ?? SecretProtection.Kind)),
                    entry.ProcessId, DateTime.Parse(entry.ProcessStartTime ?? "", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToLocalTime(),
                    entry.DataDirectory, entry.OwnsDataDirectory, entry.CatalogPath, entry.LogPath);
            }
            catch (Exception ex) when (ex is FormatException or UriFormatException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                continue;
            }
            if (instance.IsRunning) found.Add(instance);
            else Remove(entry.ProcessId);
        }
        return found.OrderBy(i => i.ProcessStartTime).ToList();
    }

    private static string PathOf(int processId) => Path.Combine(Folder, processId.ToString(CultureInfo.InvariantCulture) + ".json");

    private sealed class Entry
    {
        public string? Endpoint { get; set; }
        public int ProcessId { get; set; }
        public string? ProcessStartTime { get; set; }
        public string? DataDirectory { get; set; }
        public bool OwnsDataDirectory { get; set; }
        public string? CatalogPath { get; set; }
        public string? LogPath { get; set; }
        public bool KeepRunning { get; set; }
        public string? ApiKey { get; set; }
        public string? Protection { get; set; }
    }
}
