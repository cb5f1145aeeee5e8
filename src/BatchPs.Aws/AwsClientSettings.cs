using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace BatchPs.Aws;

/// <summary>
/// Where and as whom a small AWS client talks: region, credentials, an optional endpoint override
/// (a VPC endpoint, or a loopback server in tests) and the retry policy.
/// </summary>
public sealed class AwsClientSettings
{
    /// <summary>Creates settings for a region and credentials.</summary>
    public AwsClientSettings(RegionEndpoint region, AWSCredentials credentials)
    {
        Region = region;
        Credentials = credentials;
    }

    /// <summary>The region requests are signed for and, without <see cref="ServiceUrl"/>, sent to.</summary>
    public RegionEndpoint Region { get; }

    /// <summary>The credentials requests are signed with (resolved again on every request, so rotation is seen).</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>Overrides the endpoint (scheme, host and port); null uses the service's regional endpoint.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>Attempts in all for a request that fails with throttling or a server error (default 4).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry delay; each retry doubles it, with full jitter (default 100 ms).</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between two attempts (default 5 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The HTTP timeout of one attempt (default 30 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Settings from the environment the way the SDK finds them: the region from <c>AWS_REGION</c> /
    /// <c>AWS_DEFAULT_REGION</c> (Lambda sets <c>AWS_REGION</c>) and the default credential chain
    /// (in Lambda: the execution role's keys in the environment).
    /// </summary>
    public static AwsClientSettings FromEnvironment()
    {
        var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (string.IsNullOrWhiteSpace(region))
            throw new InvalidOperationException("No AWS region: set AWS_REGION (Lambda sets it for you) or AWS_DEFAULT_REGION.");
        return new AwsClientSettings(RegionEndpoint.GetBySystemName(region), DefaultAWSCredentialsIdentityResolver.GetCredentials());
    }
}
