using System.Management.Automation;
using System.Security;
using BatchPs.Core.Client;

namespace BatchPs.PowerShell;

/// <summary>
/// Lets a <see cref="SecureString"/> parameter also take a plain string (from an environment variable,
/// a vault or a config file): the string is turned into a read-only SecureString at binding.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value is string text ? SecureText.FromPlain(text) : inputData;
    }
}
