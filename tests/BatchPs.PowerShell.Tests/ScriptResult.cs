using System.Management.Automation;

namespace BatchPs.PowerShell.Tests;

/// <summary>Everything a script produced.</summary>
public sealed record ScriptResult(
    List<PSObject> Output,
    List<ErrorRecord> Errors,
    List<string> Warnings,
    List<string> Verbose,
    List<ProgressRecord> Progress,
    RuntimeException? Terminating)
{
    /// <summary>The single error record, from the error stream or a terminating error.</summary>
    public ErrorRecord SingleError()
    {
        var all = Errors.ToList();
        if (Terminating?.ErrorRecord is { } record) all.Add(record);
        return Assert.Single(all);
    }

    public override string ToString() =>
        $"output: {string.Join(", ", Output)}; errors: {string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e))}; terminating: {Terminating?.Message}";
}
