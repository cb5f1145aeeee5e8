using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BatchPs.PowerShell;

/// <summary>
/// Runs when the module is imported and removed. On Windows PowerShell 5.1 it resolves the module's
/// third-party assemblies (System.Text.Json and its dependencies) from the <c>dependencies</c>
/// folder, whatever version is asked for (the binding redirects .NET Framework would need), the admin
/// engine and the AWS SDK included. On PowerShell 7 those come from .NET itself, and the admin engine
/// with the AWS SDK loads in the module's own AssemblyLoadContext (see <see cref="Isolation.AdminIsolation"/>).
/// On removal it forgets the API keys the runspace used. When the process ends, it stops the local stacks the
/// session started (those not started with -KeepRunning).
/// </summary>
public sealed class ModuleInitAndCleanup : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependenciesFolder =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitAndCleanup).Assembly.Location) ?? ".", "dependencies");

    private static readonly bool IsDesktop =
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private static int _resolverRegistered;

    /// <inheritdoc />
    public void OnImport()
    {
        // Once per process, and kept: other runspaces of the process may still use the module.
        if (Interlocked.Exchange(ref _resolverRegistered, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Core.Client.LocalStackLauncher.StopStarted();
        if (IsDesktop) AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
        else Isolation.AdminIsolation.Register(DependenciesFolder);
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ConnectionRegistry.ForgetRunspace(System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty);
    }

    private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        if (name is null) return null;
        var path = Path.Combine(DependenciesFolder, name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
