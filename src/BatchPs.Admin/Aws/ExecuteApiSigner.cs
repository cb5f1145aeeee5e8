using System.Text.RegularExpressions;
using Amazon.Runtime;
using BatchPs.Aws.Signing;
using BatchPs.Core.Client;

namespace BatchPs.Admin.Aws;

/// <summary>
/// Signs trigger API requests for a stack deployed with <c>AuthMode=IAM</c>: SigV4 for the service
/// <c>execute-api</c> with the shared <see cref="SigV4Signer"/>, in the endpoint's region (read from
/// an <c>{api}.execute-api.{region}.amazonaws.com</c> host; <c>-Region</c> overrides it). Credentials are resolved
/// once, in the AWS Tools order (<see cref="AwsConnectionOptions"/>); <see cref="SignAsync"/> signs each attempt
/// with the current time (corrected after API Gateway refused a signature for clock skew), so retries carry a fresh
/// <c>X-Amz-Date</c>. Its public API holds only BCL and BatchPs.Core types, so <see cref="BatchTriggerClient"/>
/// takes it as its <see cref="IRequestSigner"/> across the module's AssemblyLoadContext boundary.
/// </summary>
public sealed class ExecuteApiSigner : IRequestSigner
{
    /// <summary>The SigV4 service name of API Gateway's invoke endpoints.</summary>
    public const string ServiceName = "execute-api";

    private static readonly Regex ExecuteApiHost = new(
        @"^[a-z0-9]+\.execute-api(?:-fips)?\.(?<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private readonly AwsSession _session;
    private readonly SigV4Signer _signer;

    /// <summary>Resolves credentials and region for <paramref name="endpoint"/> (throws <see cref="AwsCredentialException"/> when there are none).</summary>
    public ExecuteApiSigner(AwsConnectionOptions options, Uri endpoint)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        if (endpoint is null) throw new ArgumentNullException(nameof(endpoint));
        var hostRegion = RegionOfHost(endpoint.Host);
        _session = AwsSessionResolver.Resolve(options, hostRegion is null ? null : (hostRegion, $"the endpoint's host ({endpoint.Host})"));
        _signer = new SigV4Signer(_session.Credentials, _session.Region, ServiceName);
    }

    /// <summary>The region requests are signed for.</summary>
    public string Region => _session.Region.SystemName;

    /// <summary>Where the credentials and region came from (no secrets), for verbose output.</summary>
    public string ConnectionDescription => _session.ToString();

    /// <summary>The region in an execute-api host name (<c>abc123.execute-api.eu-west-1.amazonaws.com</c>), or null for any other host.</summary>
    public static string? RegionOfHost(string host)
    {
        var match = ExecuteApiHost.Match(host ?? "");
        return match.Success ? match.Groups["region"].Value.ToLowerInvariant() : null;
    }

    /// <summary>
    /// Adds <c>Authorization</c>, <c>X-Amz-Date</c>, <c>X-Amz-Content-Sha256</c> (and <c>X-Amz-Security-Token</c> for
    /// temporary keys) to <paramref name="request"/>, signing its method, URL, content type and body. Credentials
    /// that cannot produce keys now (an expired SSO session) throw a <see cref="BatchTriggerException"/> with code
    /// <see cref="ClientErrorCodes.CredentialsUnavailable"/>.
    /// </summary>
    public async Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request is null) throw new ArgumentNullException(nameof(request));
        if (request.RequestUri is null) throw new ArgumentException("The request has no URL.", nameof(request));
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var signedHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.Content?.Headers.ContentType is { } contentType)
            signedHeaders["Content-Type"] = contentType.ToString();
        IReadOnlyDictionary<string, string> signed;
        try
        {
            signed = await _signer.SignAsync(request.Method, request.RequestUri, body, signedHeaders, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonClientException or AwsCredentialException or InvalidOperationException)
        {
            throw new BatchTriggerException(ClientErrorCodes.CredentialsUnavailable,
                $"The AWS credentials from {_session.CredentialSource} could not sign the request: {ex.Message} " +
                "Refresh them (for an SSO profile: aws sso login --profile NAME), or pass other credentials.", innerException: ex);
        }
        foreach (var header in signed)
        {
            request.Headers.Remove(header.Key);
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>
    /// True when API Gateway refused the signature as expired or not yet current (403 <c>InvalidSignatureException</c>)
    /// and its <c>Date</c> header shows the local clock is off by a minute or more: the clock is corrected for the next signature.
    /// </summary>
    public bool TryCorrectClock(HttpResponseMessage response)
    {
        if (response is null) throw new ArgumentNullException(nameof(response));
        if ((int)response.StatusCode != 403 || !response.Headers.TryGetValues("x-amzn-ErrorType", out var types)) return false;
        var errorType = types.FirstOrDefault()?.Split(':')[0];
        return SigV4Signer.IsClockSkewError(errorType) && _signer.TryLearnClockOffset(response.Headers.Date);
    }

    /// <summary>The correction applied to the local clock when signing (zero until a skew refusal taught one).</summary>
    public TimeSpan ClockOffset => _signer.ClockOffset;
}
