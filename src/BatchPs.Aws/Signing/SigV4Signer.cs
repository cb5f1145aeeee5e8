using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace BatchPs.Aws.Signing;

/// <summary>
/// The one SigV4 request signer of BatchPs: AWSSDK.Core's public <see cref="AWSSigV4Signer"/> for one service, region
/// and set of credentials (resolved again on every request, so rotation is seen), signing at the local time plus a
/// clock correction. A service that refuses a request because the signing time is too far from its own says so with a
/// skew error code and its <c>Date</c> header; <see cref="TryLearnClockOffset"/> takes the correction from that header,
/// so the next signature carries the service's time. The signed AWS clients (<see cref="AwsClientBase"/>) and
/// the trigger API's <c>execute-api</c> signer share it.
/// </summary>
public sealed class SigV4Signer
{
    private static readonly HashSet<string> ClockSkewCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "RequestInTheFuture",
    };

    private long _clockOffsetTicks;

    /// <summary>Creates a signer for <paramref name="service"/> (the SigV4 service name, e.g. <c>states</c>, <c>execute-api</c>).</summary>
    public SigV4Signer(AWSCredentials credentials, RegionEndpoint region, string service)
    {
        Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        Region = region ?? throw new ArgumentNullException(nameof(region));
        Service = string.IsNullOrEmpty(service) ? throw new ArgumentException("The SigV4 service name is empty.", nameof(service)) : service;
    }

    /// <summary>The credentials requests are signed with.</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>The region requests are signed for.</summary>
    public RegionEndpoint Region { get; }

    /// <summary>The SigV4 service name.</summary>
    public string Service { get; }

    /// <summary>The correction applied to the local clock when signing, learnt from a skew error.</summary>
    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    /// <summary>True for the error codes AWS services give when the signing time is too far from their own.</summary>
    public static bool IsClockSkewError(string? errorCode) => errorCode is not null && ClockSkewCodes.Contains(errorCode);

    /// <summary>
    /// Signs <paramref name="method"/> <paramref name="uri"/> with <paramref name="body"/> and the <paramref name="headers"/>
    /// to sign (they must be sent as given); returns the headers to add: <c>Authorization</c>, <c>X-Amz-Date</c>,
    /// <c>X-Amz-Content-Sha256</c>, <c>Host</c> when needed, and <c>X-Amz-Security-Token</c> for temporary keys.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> SignAsync(HttpMethod method, Uri uri, byte[]? body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest
        {
            HttpMethod = method,
            RequestUri = uri,
            Content = body,
        };
        foreach (var header in headers)
            signing.Headers[header.Key] = header.Value;
        var parameters = new AWSSigV4Parameters
        {
            Credentials = Credentials,
            Region = Region,
            Service = Service,
            SignedAt = DateTime.UtcNow + ClockOffset,
        };
        var signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken).ConfigureAwait(false);
        return signed.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// After a refusal with a clock-skew code: learns the offset between the service's <c>Date</c> and the local clock.
    /// False when there is no date, or the clocks agree within a minute (the refusal then has another cause).
    /// </summary>
    public bool TryLearnClockOffset(DateTimeOffset? serverDate)
    {
        if (serverDate is not { } date) return false;
        var offset = date.UtcDateTime - DateTime.UtcNow;
        if (Math.Abs(offset.TotalMinutes) < 1) return false;
        Interlocked.Exchange(ref _clockOffsetTicks, offset.Ticks);
        return true;
    }
}
