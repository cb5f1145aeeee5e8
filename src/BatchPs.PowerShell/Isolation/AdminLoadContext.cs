using System.Reflection;
using System.Runtime.Loader;

namespace BatchPs.PowerShell.Isolation;

/// <summary>
/// The module's own AssemblyLoadContext on PowerShell 7: the admin engine (BatchPs.Admin, BatchPs.Aws), the
/// AWS SDK and the SDK's dependencies that .NET does not ship load here from the module's dependencies folder, so a
/// session that already loaded AWS Tools or another AWSSDK.Core (4.0.3.3 has the same assembly version,
/// 4.0.0.0) keeps its copy and the module keeps its own. BatchPs.Core, whose types cross the boundary, and
/// the framework's assemblies are shared with the default context.
/// </summary>
internal sealed class AdminLoadContext : AssemblyLoadContext
{
    private const string SharedCore = "BatchPs.Core";
    private readonly string _folder;
    private readonly HashSet<string> _framework;

    public AdminLoadContext(string folder)
    {
        _folder = folder;
        var platform = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        _framework = new HashSet<string>(
            platform.Split(Path.PathSeparator).Where(p => p.Length > 0).Select(Path.GetFileNameWithoutExtension)!,
            StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        // Shared: BatchPs.Core (its types cross the boundary) and whatever the runtime itself provides.
        if (name is null || name == SharedCore) return null;
        if (_framework.Contains(name) && !name.StartsWith("AWSSDK.", StringComparison.Ordinal)) return null;
        var path = Path.Combine(_folder, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
