using System.Reflection;
using Amazon.Runtime;

namespace BatchPs.Admin.Aws;

/// <summary>
/// Credentials from an object this copy of AWSSDK.Core does not know as its own: an
/// <c>AWSCredentials</c> of AWS Tools' AWSSDK.Core in another AssemblyLoadContext, or AWS Tools'
/// stored-credentials wrapper. Read on every use through the public <c>GetCredentials()</c> method,
/// so refreshing credentials (assume-role, SSO) keep refreshing.
/// </summary>
internal sealed class ForeignAwsCredentials : AWSCredentials
{
    private readonly object _source;
    private readonly MethodInfo _getCredentials;

    private ForeignAwsCredentials(object source, MethodInfo getCredentials)
    {
        _source = source;
        _getCredentials = getCredentials;
    }

    /// <summary>Wraps <paramref name="value"/>: our own type as is, a foreign one by reflection; null when it is neither.</summary>
    public static AWSCredentials? From(object value)
    {
        if (value is AWSCredentials own) return own;
        var method = value.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
        if (method is not null) return new ForeignAwsCredentials(value, method);
        // AWS Tools' AWSPSCredentials keeps the SDK credentials in a "Credentials" property.
        var inner = value.GetType().GetProperty("Credentials", BindingFlags.Public | BindingFlags.Instance)?.GetValue(value);
        return inner is null || ReferenceEquals(inner, value) ? null : From(inner);
    }

    public override ImmutableCredentials GetCredentials()
    {
        object? keys;
        try
        {
            keys = _getCredentials.Invoke(_source, null);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new AwsCredentialException($"The -Credential object ({_source.GetType().FullName}) could not produce keys: {ex.InnerException.Message}", ex.InnerException);
        }
        if (keys is null)
            throw new AwsCredentialException($"The -Credential object ({_source.GetType().FullName}) returned no keys.");
        var type = keys.GetType();
        var accessKey = type.GetProperty("AccessKey")?.GetValue(keys) as string;
        var secretKey = type.GetProperty("SecretKey")?.GetValue(keys) as string;
        var token = type.GetProperty("Token")?.GetValue(keys) as string;
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            throw new AwsCredentialException($"The -Credential object ({_source.GetType().FullName}) returned keys without an access key or secret key.");
        return new ImmutableCredentials(accessKey, secretKey, string.IsNullOrEmpty(token) ? null : token);
    }
}
