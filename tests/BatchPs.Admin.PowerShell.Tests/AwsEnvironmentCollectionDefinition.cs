using BatchPs.TestSupport.Aws;

// Every admin session sets process-wide environment variables (BATCHPS_CONNECTIONS_DIR, the AWS ones) for its
// runspace, so two sessions of different test classes at once would read each other's folders: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace BatchPs.Admin.PowerShell.Tests;

/// <summary>Tests that change the process environment run alone (see <see cref="CleanAwsEnvironment"/>).</summary>
[CollectionDefinition(AwsEnvironmentCollection.Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollectionDefinition
{
    /// <summary>Before any test of this assembly touches the SDK: this process's own empty ~/.aws files.</summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void PinSharedFiles() => CleanAwsEnvironment.PinSharedFiles();
}
