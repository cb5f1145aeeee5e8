using System.Runtime.InteropServices;

namespace BatchPs.Core.Client;

/// <summary>Finds the <c>dotnet</c> host that runs the local stack.</summary>
public static class DotnetLocator
{
    /// <summary>
    /// The path of <c>dotnet</c>: <c>DOTNET_HOST_PATH</c> (set by the SDK for the processes it runs),
    /// then <c>PATH</c>, then <c>DOTNET_ROOT</c>, then the usual install folders. Throws
    /// <see cref="FileNotFoundException"/> saying what to install when none is found.
    /// </summary>
    public static string Find()
    {
        var candidates = new List<string>();
        var fileName = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath)) candidates.Add(hostPath!);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Trim().Length > 0) candidates.Add(Path.Combine(dir.Trim().Trim('"'), fileName));
        }
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root)) candidates.Add(Path.Combine(root!, fileName));
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet", fileName));
            candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Microsoft", "dotnet", fileName));
        }
        else
        {
            candidates.Add("/usr/local/share/dotnet/dotnet");
            candidates.Add("/usr/share/dotnet/dotnet");
            candidates.Add("/usr/lib/dotnet/dotnet");
            candidates.Add("/opt/dotnet/dotnet");
            candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", fileName));
        }
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException(
            "The .NET runtime host 'dotnet' was not found (looked at DOTNET_HOST_PATH, PATH, DOTNET_ROOT and the usual install folders). " +
            "The local stack needs the .NET 10 runtime: install it from https://dot.net, or set DOTNET_ROOT to its folder.", fileName);
    }
}
