using System.Security.Cryptography;
using BatchPs.LocalStack.Storage;

namespace BatchPs.LocalStack.Cli;

/// <summary>
/// Where the API key comes from: <c>--api-key-file</c> (<c>-</c> reads the first line of standard input),
/// else <c>BATCHPS_API_KEY</c>, else DATA/api-key, generated (mode 0600 from its creation) when missing.
/// Call it with the data folder locked, so that a stack that loses the lock writes no key.
/// </summary>
internal static class ApiKeySource
{
    /// <summary>The <c>--api-key-file</c> value that means standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>The key, and a note for the console when it was generated.</summary>
    public static (string Key, string? Note) Resolve(string? apiKeyFile, string? environmentKey, string dataDirectory, TextReader? standardInput = null)
    {
        if (apiKeyFile == StandardInput)
        {
            var line = (standardInput ?? Console.In).ReadLine()?.Trim() ?? "";
            if (line.Length == 0) throw new UsageException("--api-key-file - reads the API key from standard input, but its first line is empty.");
            return (line, null);
        }
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
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        // Written whole under a temporary name, then renamed: a reader never sees a partial key.
        var temp = path + "." + Environment.ProcessId + ".tmp";
        using (var file = OwnerOnly.OpenFile(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(key);
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        return (key, $"API key: generated into {path} (set BATCHPS_API_KEY or --api-key-file to choose one).");
    }
}
