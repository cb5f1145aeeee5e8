using System.Text.Json;
using System.Text.RegularExpressions;

namespace BatchPs.Core.Connections;

/// <summary>
/// Saved connections of the current user, one JSON file per name: on Windows under
/// <c>%LOCALAPPDATA%\BatchPs\connections</c> with the key protected by DPAPI; elsewhere under
/// <c>$XDG_CONFIG_HOME/batchps/connections</c> (default <c>~/.config</c>) with mode 0600 files in a 0700
/// folder. <c>BATCHPS_CONNECTIONS_DIR</c> overrides the folder. Folders the store creates are owner-only; a
/// folder that already exists keeps its mode, and one that other users may write to is refused.
/// </summary>
public sealed class SavedConnectionStore
{
    /// <summary>The name used when none is given.</summary>
    public const string DefaultName = "default";
    /// <summary>Environment variable that overrides the folder.</summary>
    public const string FolderVariable = "BATCHPS_CONNECTIONS_DIR";

    private static readonly Regex ValidName = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>A store in <paramref name="folder"/>, or the user's default folder.</summary>
    public SavedConnectionStore(string? folder = null) => Folder = folder ?? DefaultFolder();

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; }

    /// <summary>The user's default folder (see the class summary).</summary>
    public static string DefaultFolder()
    {
        var overridden = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrEmpty(overridden)) return overridden!;
        if (SecretProtection.IsWindows)
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "BatchPs", "connections");
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config)) config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config!, "batchps", "connections");
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a name that cannot be a file name here.</summary>
    public static void ValidateName(string name)
    {
        if (!ValidName.IsMatch(name ?? ""))
            throw new ArgumentException($"Connection name '{name}' is not valid: use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit.", nameof(name));
    }

    /// <summary>Saves (or replaces) <paramref name="connection"/>; the key is protected before it touches the disk.</summary>
    public SavedConnection Save(SavedConnection connection)
    {
        ValidateName(connection.Name);
        if (connection.Endpoint.Scheme is not ("https" or "http"))
            throw new ArgumentException($"Endpoint '{connection.Endpoint}' must be an http(s) URL.", nameof(connection));
        SecretProtection.CreateOwnerOnlyDirectory(Folder);
        var key = connection.RevealApiKey();
        var file = new ConnectionFile
        {
            Name = connection.Name,
            Endpoint = connection.Endpoint.ToString(),
            ApiKey = string.IsNullOrEmpty(key) ? null : SecretProtection.Protect(key!),
            ApiKeyProtection = string.IsNullOrEmpty(key) ? null : SecretProtection.Kind,
            Source = connection.Source,
            SavedAt = connection.SavedAt,
            AuthMode = connection.AuthMode == SavedConnection.IamAuthMode ? SavedConnection.IamAuthMode : null,
        };
        var path = PathOf(connection.Name);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            // Restrict the new file before the key is written into it, then move it over the old one.
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                SecretProtection.RestrictToOwner(temp, directory: false);
                JsonSerializer.Serialize(stream, file, Json);
            }
            if (File.Exists(path)) File.Delete(path);
            File.Move(temp, path);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return new SavedConnection(connection.Name, connection.Endpoint, key, connection.Source, connection.SavedAt, file.ApiKeyProtection, connection.AuthMode);
    }

    /// <summary>The connection named <paramref name="name"/>, or null when none is saved.</summary>
    public SavedConnection? Find(string name)
    {
        ValidateName(name);
        var path = PathOf(name);
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>Every saved connection, by name.</summary>
    public IReadOnlyList<SavedConnection> List()
    {
        if (!Directory.Exists(Folder)) return new List<SavedConnection>();
        RefuseSharedFolder();
        return Directory.GetFiles(Folder, "*.json").OrderBy(p => p, StringComparer.Ordinal).Select(Read).ToList();
    }

    /// <summary>Deletes the connection; false when there was none.</summary>
    public bool Remove(string name)
    {
        ValidateName(name);
        var path = PathOf(name);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    private string PathOf(string name)
    {
        RefuseSharedFolder();
        return Path.Combine(Folder, name + ".json");
    }

    // A folder others may write to (BATCHPS_CONNECTIONS_DIR=/tmp, mode 1777) would let them replace or plant a saved
    // connection. Its mode is not ours to change, so it is refused.
    private void RefuseSharedFolder()
    {
        if (SecretProtection.IsWritableByOthers(Folder))
            throw new UnauthorizedAccessException(
                $"The connections folder '{Folder}' is writable by other users, who could replace or plant a saved connection; BatchPs does not change the permissions of a folder it did not create. " +
                $"Set {FolderVariable} to a folder of your own that does not exist yet (BatchPs creates it readable by you only), for example '{Path.Combine(Folder, "batchps-" + Environment.UserName)}'.");
    }

    private static SavedConnection Read(string path)
    {
        ConnectionFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ConnectionFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Saved connection '{path}' is not valid JSON ({ex.Message}); save it again with Save-BatchTriggerConnection.", ex);
        }
        if (file is null || string.IsNullOrEmpty(file.Name) || !Uri.TryCreate(file.Endpoint, UriKind.Absolute, out var endpoint))
            throw new InvalidDataException($"Saved connection '{path}' has no name or endpoint; save it again with Save-BatchTriggerConnection.");
        var key = file.ApiKey is null ? null : SecretProtection.Unprotect(file.ApiKey, file.ApiKeyProtection ?? SecretProtection.FileMode);
        try
        {
            return new SavedConnection(file.Name!, endpoint, key, file.Source, file.SavedAt, file.ApiKeyProtection, file.AuthMode);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Saved connection '{path}' is not valid ({ex.Message}); save it again with Save-BatchTriggerConnection.", ex);
        }
    }

    private sealed class ConnectionFile
    {
        public string? Name { get; set; }
        public string? Endpoint { get; set; }
        public string? ApiKey { get; set; }
        public string? ApiKeyProtection { get; set; }
        public string? Source { get; set; }
        public DateTime SavedAt { get; set; }
        public string? AuthMode { get; set; }
    }
}
