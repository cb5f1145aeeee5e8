using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace BatchPs.PowerShell.Tests;

/// <summary>
/// Windows PowerShell 5.1 (.NET Framework 4.7.2) cannot run here, so what it would load is proven from metadata:
/// every assembly reference of every DLL the module loads there (the module folder and dependencies/) resolves to
/// the framework (its 4.7.2 reference assemblies, facades included), to Windows PowerShell itself, or to a DLL the
/// module ships in dependencies/ (which ModuleInitAndCleanup's resolver loads by name) at the version asked for
/// or higher, with the same public key.
/// </summary>
public sealed class WindowsPowerShellReferenceTests
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(PowerShellSession.ModuleManifest)!;

    private static readonly string FrameworkFolder = typeof(WindowsPowerShellReferenceTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NetFramework472ReferenceAssemblies").Value!;

    // Provided by Windows PowerShell 5.1 itself (its GAC), not by .NET Framework: the engine the cmdlets bind to.
    private static readonly Dictionary<string, Version> WindowsPowerShell = new(StringComparer.OrdinalIgnoreCase)
    {
        ["System.Management.Automation"] = new Version(3, 0, 0, 0),
        ["Microsoft.Management.Infrastructure"] = new Version(1, 0, 0, 0),
    };

    // Referenced but never loaded on .NET Framework, and why.
    private static readonly Dictionary<string, string> PowerShell7Only = new(StringComparer.OrdinalIgnoreCase)
    {
        ["System.Runtime.Loader"] = "Isolation/ (AssemblyLoadContext) runs only on PowerShell 7: AdminIsolation.Register returns on .NET Framework before CreateContext, the one method that names AdminLoadContext",
    };

    [Fact]
    public void Every_reference_of_the_module_resolves_on_NET_Framework_4_7_2()
    {
        Assert.True(Directory.Exists(FrameworkFolder), $"The .NET Framework 4.7.2 reference assemblies are not where the restore puts them: {FrameworkFolder}");
        var framework = Identities(Directory.GetFiles(FrameworkFolder, "*.dll").Concat(Directory.GetFiles(Path.Combine(FrameworkFolder, "Facades"), "*.dll")));
        var loaded = Directory.GetFiles(ModuleFolder, "*.dll").Concat(Directory.GetFiles(Path.Combine(ModuleFolder, "dependencies"), "*.dll")).ToList();
        var shipped = Identities(loaded);
        Assert.Contains("BatchPs.PowerShell", shipped.Keys);
        Assert.Contains("System.Text.Json", shipped.Keys);

        var problems = new List<string>();
        var checkedReferences = 0;
        foreach (var path in loaded)
        {
            foreach (var reference in References(path))
            {
                checkedReferences++;
                if (Path.GetFileName(path) == "BatchPs.PowerShell.dll" && PowerShell7Only.ContainsKey(reference.Name!)) continue;
                if (shipped.TryGetValue(reference.Name!, out var ship) && ship.Version! >= reference.Version! && SameKey(ship, reference)) continue;
                if (framework.TryGetValue(reference.Name!, out var fx) && fx.Version! >= reference.Version! && SameKey(fx, reference)) continue;
                if (WindowsPowerShell.TryGetValue(reference.Name!, out var ps) && ps >= reference.Version!) continue;
                var found = shipped.TryGetValue(reference.Name!, out var s) ? $"dependencies/ has {s.Version}" : framework.TryGetValue(reference.Name!, out var f) ? $"the framework has {f.Version}" : "neither the framework nor dependencies/ has it";
                problems.Add($"{Path.GetFileName(path)} references {reference.FullName}: {found}");
            }
        }
        Assert.True(problems.Count == 0, "On Windows PowerShell 5.1 these references would not load:\n" + string.Join("\n", problems));
        Assert.True(checkedReferences > 50, $"only {checkedReferences} references were read");
    }

    [Fact]
    public void The_module_assembly_targets_netstandard_2_0_and_references_no_PowerShell_7_assembly()
    {
        var references = References(Path.Combine(ModuleFolder, "BatchPs.PowerShell.dll")).Select(r => r.Name).ToList();
        Assert.Contains("netstandard", references);
        Assert.DoesNotContain("System.Runtime", references);
        Assert.DoesNotContain("System.Private.CoreLib", references);
    }

    private static bool SameKey(AssemblyName a, AssemblyName b)
    {
        var wanted = b.GetPublicKeyToken() ?? Array.Empty<byte>();
        return wanted.Length == 0 || (a.GetPublicKeyToken() ?? Array.Empty<byte>()).SequenceEqual(wanted);
    }

    private static Dictionary<string, AssemblyName> Identities(IEnumerable<string> paths)
    {
        var result = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            using var pe = new PEReader(File.OpenRead(path));
            if (!pe.HasMetadata) continue;
            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) continue;
            var name = reader.GetAssemblyDefinition().GetAssemblyName();
            if (!result.TryGetValue(name.Name!, out var known) || known.Version! < name.Version!) result[name.Name!] = name;
        }
        return result;
    }

    private static List<AssemblyName> References(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
    }
}
