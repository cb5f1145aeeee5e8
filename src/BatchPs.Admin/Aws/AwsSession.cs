using Amazon;
using Amazon.Runtime;
using BatchPs.Aws;

namespace BatchPs.Admin.Aws;

/// <summary>Resolved credentials, region and endpoint override, with where each came from (for verbose output).</summary>
internal sealed class AwsSession
{
    public AwsSession(AWSCredentials credentials, string credentialSource, RegionEndpoint region, string regionSource, Uri? endpointUrl)
    {
        Credentials = credentials;
        CredentialSource = credentialSource;
        Region = region;
        RegionSource = regionSource;
        EndpointUrl = endpointUrl;
    }

    public AWSCredentials Credentials { get; }
    public string CredentialSource { get; }
    public RegionEndpoint Region { get; }
    public string RegionSource { get; }
    public Uri? EndpointUrl { get; }

    /// <summary>Points an SDK client config at the region, or at the endpoint override signed for the region.</summary>
    public T Configure<T>(T config) where T : ClientConfig
    {
        if (EndpointUrl is null)
        {
            config.RegionEndpoint = Region;
        }
        else
        {
            config.ServiceURL = EndpointUrl.ToString();
            config.AuthenticationRegion = Region.SystemName;
        }
        return config;
    }

    /// <summary>Settings for a BatchPs.Aws client (CloudFormation, API Gateway): this session with <paramref name="retry"/>'s policy.</summary>
    public AwsClientSettings ClientSettings(RetrySettings retry) => new(Region, Credentials)
    {
        ServiceUrl = EndpointUrl,
        MaxAttempts = retry.MaxAttempts,
        BaseRetryDelay = retry.BaseDelay,
        MaxRetryDelay = retry.MaxDelay,
        Timeout = retry.AttemptTimeout,
    };

    /// <summary>Describes the session without any secret.</summary>
    public override string ToString() => $"credentials from {CredentialSource}; region {Region.SystemName} from {RegionSource}" +
        (EndpointUrl is null ? "" : $"; endpoint {EndpointUrl}");
}
