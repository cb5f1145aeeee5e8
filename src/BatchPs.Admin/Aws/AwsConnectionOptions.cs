namespace BatchPs.Admin.Aws;

/// <summary>
/// Where and as whom the admin engine talks to AWS, named as AWS Tools for PowerShell names its common
/// parameters. Only BCL types, so a cmdlet in another AssemblyLoadContext can fill it in.
/// Lookup order (as AWS Tools): <see cref="AccessKey"/>/<see cref="SecretKey"/>/<see cref="SessionToken"/>,
/// then <see cref="Credential"/>, then <see cref="ProfileName"/>/<see cref="ProfileLocation"/>, then the
/// session's stored credentials (<c>$StoredAWSCredentials</c>), then the environment, the default profile,
/// SSO / assume-role profiles and the container or instance role.
/// </summary>
public sealed class AwsConnectionOptions
{
    /// <summary><c>-AccessKey</c>: an access key id (with <see cref="SecretKey"/>).</summary>
    public string? AccessKey { get; set; }
    /// <summary><c>-SecretKey</c>: the secret access key.</summary>
    public string? SecretKey { get; set; }
    /// <summary><c>-SessionToken</c>: the session token of temporary keys.</summary>
    public string? SessionToken { get; set; }
    /// <summary>
    /// <c>-Credential</c>: an <c>Amazon.Runtime.AWSCredentials</c> object, possibly from another copy of
    /// AWSSDK.Core (AWS Tools'); read through its public <c>GetCredentials()</c> method.
    /// </summary>
    public object? Credential { get; set; }
    /// <summary><c>-ProfileName</c>: a profile in the SDK store or the shared credentials/config files.</summary>
    public string? ProfileName { get; set; }
    /// <summary><c>-ProfileLocation</c>: a shared credentials file to read profiles from.</summary>
    public string? ProfileLocation { get; set; }
    /// <summary>
    /// The session's <c>$StoredAWSCredentials</c> (set by <c>Set-AWSCredential</c>): a profile name, or a
    /// credentials object read like <see cref="Credential"/>.
    /// </summary>
    public object? StoredCredentials { get; set; }
    /// <summary><c>-Region</c>: the region system name (e.g. <c>eu-west-1</c>).</summary>
    public string? Region { get; set; }
    /// <summary>The session's <c>$StoredAWSRegion</c> (set by <c>Set-DefaultAWSRegion</c>).</summary>
    public string? StoredRegion { get; set; }
    /// <summary>
    /// <c>-EndpointUrl</c>: sends every AWS call to this URL instead of the regional endpoints (a VPC or
    /// FIPS endpoint, LocalStack, or a test server).
    /// </summary>
    public Uri? EndpointUrl { get; set; }
}
