using System.Text.Json;

namespace BatchPs.LocalStack.Cli;

/// <summary>The ready file: <c>{"endpoint","pid","dataDirectory"}</c>, written atomically (temp file, then rename).</summary>
internal static class ReadyFile
{
    public static void Write(string path, Uri endpoint, string dataDirectory)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["endpoint"] = endpoint.ToString().TrimEnd('/'),
            ["pid"] = Environment.ProcessId,
            ["dataDirectory"] = dataDirectory,
        });
        var temp = full + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, json);
        File.Move(temp, full, overwrite: true);
    }
}
