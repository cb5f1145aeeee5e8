using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BatchPs.PowerShell;

/// <summary>
/// Runs when the module is imported and removed. On Windows PowerShell 5.1 it resolves the module's
/// third-party assemblies (System.Text.Json and its dependencies) from the <c>dependencies</c>
/// folder, whatever version is asked for (the binding redirects .NET Framework would need). On
/// PowerShell 7 those assemblies come from .NET itself and nothing is hooked. On removal it
/// disposes the module's HTTP connections.
/// </summary>
public sealed class ModuleInitAndCleanup : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependenciesFolder =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitAndCleanup).Assembly.Location) ?? ".", "dependencies");

    private static readonly bool IsDesktop =
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <inheritdoc />
    public void OnImport()
    {
        if (IsDesktop) AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsDesktop) AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
        ConnectionRegistry.Clear();
    }

    private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        if (name is null) return null;
        var path = Path.Combine(DependenciesFolder, name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
