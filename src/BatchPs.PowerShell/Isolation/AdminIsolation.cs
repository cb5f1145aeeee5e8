using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BatchPs.PowerShell.Isolation;

/// <summary>
/// Routes the module's request for the admin engine to <see cref="AdminLoadContext"/> on PowerShell 7.
/// The module assembly never references the AWS SDK itself; it references BatchPs.Admin, whose public API
/// holds only BCL and BatchPs.Core types. When that reference is first needed (an admin cmdlet runs), the
/// default context cannot find it and asks this resolver, which loads it — and through it the AWS SDK —
/// into the module's own context. On Windows PowerShell 5.1 (no load contexts) the module's dependency
/// resolver loads the same files from the dependencies folder instead.
/// </summary>
internal static class AdminIsolation
{
    private static readonly bool IsDesktop = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
    private const string EngineAssembly = "BatchPs.Admin";
    private static object? _context;

    /// <summary>Starts routing (PowerShell 7 only; once per process, and kept, as loaded assemblies stay loaded).</summary>
    public static void Register(string dependenciesFolder)
    {
        if (IsDesktop) return;
        CreateContext(dependenciesFolder);
        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
    }

    // Kept out of Register so Windows PowerShell never loads System.Runtime.Loader.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateContext(string folder) => _context ??= new AdminLoadContext(folder);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        // Only the engine is ever asked for from the default context; the AWS SDK is found through the
        // engine, inside the module's context (AdminLoadContext.Load), so other modules' AWS requests are never answered here.
        var name = new AssemblyName(args.Name);
        if (_context is not AdminLoadContext context || name.Name != EngineAssembly) return null;
        return context.LoadFromAssemblyName(name);
    }
}
