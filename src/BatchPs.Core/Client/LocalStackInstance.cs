using System.Security;

namespace BatchPs.Core.Client;

/// <summary>
/// A running local stack started by <see cref="LocalStackLauncher"/>. Its <see cref="Endpoint"/> and
/// <see cref="ApiKey"/> bind by property name to the trigger cmdlets' <c>-Endpoint</c> and <c>-ApiKey</c>.
/// </summary>
public sealed class LocalStackInstance
{
    internal LocalStackInstance(Uri endpoint, SecureString apiKey, int processId, DateTime processStartTime, string dataDirectory, bool ownsDataDirectory, string? catalogPath, string logPath)
    {
        Endpoint = endpoint;
        ApiKey = apiKey;
        ProcessId = processId;
        ProcessStartTime = processStartTime;
        DataDirectory = dataDirectory;
        OwnsDataDirectory = ownsDataDirectory;
        CatalogPath = catalogPath;
        LogPath = logPath;
    }

    /// <summary>The base URL the stack listens on, for example <c>http://127.0.0.1:54321</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The API key the stack requires (never displayed).</summary>
    public SecureString ApiKey { get; }

    /// <summary>The stack's process id.</summary>
    public int ProcessId { get; }

    /// <summary>When the process started (local time), to tell it from a later process that reuses the id.</summary>
    public DateTime ProcessStartTime { get; }

    /// <summary>The folder holding the stack's database and job logs.</summary>
    public string DataDirectory { get; }

    /// <summary>True when the launcher made <see cref="DataDirectory"/> and removes it on stop.</summary>
    public bool OwnsDataDirectory { get; }

    /// <summary>The catalog file given at start; null for the stack's sample catalog.</summary>
    public string? CatalogPath { get; }

    /// <summary>The file that receives the stack's console output.</summary>
    public string LogPath { get; }

    /// <summary>True while the stack's process runs.</summary>
    public bool IsRunning => LocalStackLauncher.IsRunning(this);

    /// <inheritdoc />
    public override string ToString() => $"{Endpoint} (process {ProcessId})";
}
