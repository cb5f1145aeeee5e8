using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.PowerShell.Tests;

/// <summary>Tests that change the process environment run alone (see <see cref="CleanAwsEnvironment"/>).</summary>
[CollectionDefinition(AwsEnvironmentCollection.Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollectionDefinition
{
    /// <summary>Before any test of this assembly touches the SDK: this process's own empty ~/.aws files.</summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void PinSharedFiles() => CleanAwsEnvironment.PinSharedFiles();
}
