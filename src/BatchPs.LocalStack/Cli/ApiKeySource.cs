using System.Security.Cryptography;

namespace BatchPs.LocalStack.Cli;

/// <summary>Where the API key comes from: <c>--api-key-file</c>, else <c>BATCHPS_API_KEY</c>, else a new key written to DATA/api-key.</summary>
internal static class ApiKeySource
{
    /// <summary>The key, and a note for the console when it was generated.</summary>
    public static (string Key, string? Note) Resolve(string? apiKeyFile, string? environmentKey, string dataDirectory)
    {
        if (apiKeyFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(apiKeyFile).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"Cannot read the API key file '{apiKeyFile}': {ex.Message}");
            }
            if (text.Length == 0) throw new UsageException($"The API key file '{apiKeyFile}' is empty; put the key on its first line.");
            return (text, null);
        }
        if (!string.IsNullOrWhiteSpace(environmentKey)) return (environmentKey.Trim(), null);

        var path = Path.Combine(dataDirectory, "api-key");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
            return (existing, $"API key: read from {path} (set BATCHPS_API_KEY or --api-key-file to choose one).");
        Directory.CreateDirectory(dataDirectory);
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (key, $"API key: generated into {path} (set BATCHPS_API_KEY or --api-key-file to choose one).");
    }
}
