// The two runs one after the other: each starts local stacks and pwsh processes of its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace BatchPs.Pester.Tests;

/// <summary>
/// tests/pester/ run as users run it: the real pwsh of the tool manifest, the built module imported by name
/// from PSModulePath, Pester 5 and Pester 6 from NuGet. Each failed Pester test is named in the failure.
/// </summary>
public sealed class PesterSuiteTests
{
    [Fact]
    public void The_Pester_suite_passes_in_a_real_pwsh_with_Pester_5() =>
        PesterRun.Run(PesterRun.Pester5Manifest).AssertPassed("5.");

    [Fact]
    public void The_Pester_suite_passes_in_a_real_pwsh_with_Pester_6() =>
        PesterRun.Run(PesterRun.Pester6Manifest).AssertPassed("6.");
}
