using System.Net;

namespace BatchPs.Core.Client;

/// <summary>
/// Where and how a <see cref="BatchTriggerClient"/> connects: with an API key (<c>x-api-key</c>), or with a
/// signer that authenticates each attempt (IAM: SigV4 for <c>execute-api</c>, done outside this assembly).
/// </summary>
public sealed class BatchTriggerClientOptions
{
    /// <summary>Creates options for an endpoint and API key.</summary>
    public BatchTriggerClientOptions(Uri endpoint, string apiKey)
    {
        Endpoint = CheckEndpoint(endpoint);
        ApiKey = ApiKeyText.Normalize(apiKey);
    }

    /// <summary>Creates options for an endpoint whose requests <paramref name="signer"/> authenticates.</summary>
    public BatchTriggerClientOptions(Uri endpoint, IRequestSigner signer)
    {
        Endpoint = CheckEndpoint(endpoint);
        Signer = signer ?? throw new ArgumentNullException(nameof(signer));
    }

    /// <summary>The stack's base URL; routes are relative to it (<c>{Endpoint}/triggers</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The API key sent as <c>x-api-key</c>; null when <see cref="Signer"/> authenticates instead.</summary>
    public string? ApiKey { get; }

    /// <summary>Authenticates each attempt (for example SigV4 signing); null in API key mode.</summary>
    public IRequestSigner? Signer { get; }

    /// <summary>Retry rules (default <see cref="RetryPolicy.Default"/>).</summary>
    public RetryPolicy Retry { get; set; } = RetryPolicy.Default;

    /// <summary>How long one attempt may take before it counts as a timeout (default 30 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The proxy; default <see cref="EnvironmentProxy.Create"/> (HTTPS_PROXY/NO_PROXY, else the system proxy).</summary>
    public IWebProxy? Proxy { get; set; } = EnvironmentProxy.Create();

    private static Uri CheckEndpoint(Uri endpoint)
    {
        if (endpoint is null) throw new ArgumentNullException(nameof(endpoint));
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The endpoint '{endpoint}' is not an absolute http or https URL. Pass the URL the stack printed, for example http://127.0.0.1:5000 or https://abc123.execute-api.eu-west-1.amazonaws.com/prod.", nameof(endpoint));
        return endpoint;
    }
}
