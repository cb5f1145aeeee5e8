using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace BatchPs.Admin.Aws;

/// <summary>
/// Finds credentials and region in the order AWS Tools for PowerShell documents. AWSSDK.Core's own
/// resolvers do the reading (profile files and the SDK store, SSO and assume-role profiles, web
/// identity, container and instance roles); this class only decides the order and explains failures.
/// </summary>
internal static class AwsSessionResolver
{
    /// <summary>The profile AWS Tools falls back to after <c>default</c>.</summary>
    internal const string AwsPsDefaultProfile = "AWS PS Default";

    /// <summary>
    /// Resolves credentials and region. <paramref name="impliedRegion"/> (e.g. the region in an execute-api host
    /// name) comes after <c>-Region</c> and before every other region source.
    /// </summary>
    public static AwsSession Resolve(AwsConnectionOptions options, (string Name, string Source)? impliedRegion = null)
    {
        var (credentials, credentialSource, profile) = ResolveCredentials(options);
        var (region, regionSource) = ResolveRegion(options, profile, impliedRegion);
        return new AwsSession(credentials, credentialSource, region, regionSource, options.EndpointUrl);
    }

    private static (AWSCredentials, string, CredentialProfile?) ResolveCredentials(AwsConnectionOptions options)
    {
        // 1. Literal keys.
        if (!string.IsNullOrEmpty(options.AccessKey) || !string.IsNullOrEmpty(options.SecretKey))
        {
            if (string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey))
                throw new AwsCredentialException("-AccessKey and -SecretKey go together: pass both (and -SessionToken for temporary keys), or neither.");
            AWSCredentials literal = string.IsNullOrEmpty(options.SessionToken)
                ? new BasicAWSCredentials(options.AccessKey, options.SecretKey)
                : new SessionAWSCredentials(options.AccessKey, options.SecretKey, options.SessionToken);
            return (literal, "the -AccessKey/-SecretKey parameters", null);
        }

        // 2. -Credential.
        if (options.Credential is not null)
        {
            var given = ForeignAwsCredentials.From(options.Credential)
                ?? throw new AwsCredentialException($"-Credential got a {options.Credential.GetType().FullName}; pass an AWSCredentials object (e.g. from Get-AWSCredential) instead.");
            return (given, "the -Credential parameter", null);
        }

        // 3. -ProfileName / -ProfileLocation, then the session's stored credentials (Set-AWSCredential).
        if (!string.IsNullOrEmpty(options.ProfileName) || !string.IsNullOrEmpty(options.ProfileLocation))
            return FromProfile(options.ProfileName, options.ProfileLocation, "the -ProfileName/-ProfileLocation parameters");
        switch (options.StoredCredentials)
        {
            case string storedProfile when storedProfile.Length > 0:
                return FromProfile(storedProfile, null, "$StoredAWSCredentials (Set-AWSCredential)");
            case null:
            case string:
                break;
            default:
                var stored = ForeignAwsCredentials.From(options.StoredCredentials)
                    ?? throw new AwsCredentialException($"$StoredAWSCredentials holds a {options.StoredCredentials.GetType().FullName}, which carries no credentials; run Set-AWSCredential again or Clear-AWSCredential.");
                return (stored, "$StoredAWSCredentials (Set-AWSCredential)", null);
        }

        // 4. Environment keys.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")))
            return (new EnvironmentVariablesAWSCredentials(), "the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables", null);

        // 5. The default profile (AWS_PROFILE when set), then AWS Tools' own default name.
        var chain = new CredentialProfileStoreChain();
        var defaultName = Environment.GetEnvironmentVariable("AWS_PROFILE");
        foreach (var name in string.IsNullOrEmpty(defaultName) ? new[] { "default", AwsPsDefaultProfile } : new[] { defaultName! })
        {
            if (chain.TryGetProfile(name, out var profile) && chain.TryGetAWSCredentials(name, out var fromProfile))
                return (fromProfile, $"profile '{name}'", profile);
        }

        // 6. Web identity, container and instance roles: the SDK's default chain.
        try
        {
            return (DefaultAWSCredentialsIdentityResolver.GetCredentials(), "the SDK default chain (web identity, container or instance role)", null);
        }
        catch (Exception ex) when (ex is AmazonClientException or InvalidOperationException)
        {
            throw new AwsCredentialException(
                "No AWS credentials found. Pass -ProfileName (a profile in ~/.aws/credentials or ~/.aws/config, SSO and assume-role profiles included), " +
                "-AccessKey/-SecretKey, or -Credential; or run Set-AWSCredential; or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. " +
                "For an SSO profile, run 'aws sso login --profile NAME' first. (" + ex.Message + ")", ex);
        }
    }

    private static (AWSCredentials, string, CredentialProfile?) FromProfile(string? name, string? location, string source)
    {
        var profileName = string.IsNullOrEmpty(name) ? "default" : name!;
        var chain = new CredentialProfileStoreChain(string.IsNullOrEmpty(location) ? null : location);
        var where = string.IsNullOrEmpty(location) ? "the SDK store or the shared credentials and config files" : location;
        if (!chain.TryGetProfile(profileName, out var profile))
            throw new AwsCredentialException($"Profile '{profileName}' (from {source}) was not found in {where}. List profiles with Get-AWSCredential -ListProfileDetail, or fix the name.");
        try
        {
            if (!chain.TryGetAWSCredentials(profileName, out var credentials))
                throw new AwsCredentialException($"Profile '{profileName}' (from {source}) in {where} holds no usable credentials; check its keys, or its sso_*/role_arn settings.");
            return (credentials, $"profile '{profileName}' ({source})", profile);
        }
        catch (AmazonClientException ex)
        {
            throw new AwsCredentialException($"Profile '{profileName}' (from {source}) could not be used: {ex.Message}", ex);
        }
    }

    private static (RegionEndpoint, string) ResolveRegion(AwsConnectionOptions options, CredentialProfile? profile, (string Name, string Source)? implied)
    {
        if (!string.IsNullOrEmpty(options.Region)) return (Region(options.Region!, "-Region"), "the -Region parameter");
        if (implied is { } given) return (Region(given.Name, given.Source), given.Source);
        if (!string.IsNullOrEmpty(options.StoredRegion)) return (Region(options.StoredRegion!, "$StoredAWSRegion"), "$StoredAWSRegion (Set-DefaultAWSRegion)");
        foreach (var variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value)) return (Region(value, variable), $"the {variable} environment variable");
        }
        if (profile?.Region is { } profileRegion) return (profileRegion, $"profile '{profile.Name}'");
        var chain = new CredentialProfileStoreChain(string.IsNullOrEmpty(options.ProfileLocation) ? null : options.ProfileLocation);
        var defaultName = string.IsNullOrEmpty(options.ProfileName) ? Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default" : options.ProfileName!;
        if (chain.TryGetProfile(defaultName, out var named) && named.Region is { } namedRegion) return (namedRegion, $"profile '{defaultName}'");
        throw new AwsCredentialException("No AWS region. Pass -Region (e.g. -Region eu-west-1), run Set-DefaultAWSRegion, set AWS_REGION, or put region = ... in your profile.");
    }

    private static RegionEndpoint Region(string systemName, string source)
    {
        if (systemName.Trim().Length == 0 || systemName.IndexOf(' ') >= 0)
            throw new AwsCredentialException($"{source} '{systemName}' is not a region name; use a name such as eu-west-1.");
        return RegionEndpoint.GetBySystemName(systemName.Trim());
    }
}
