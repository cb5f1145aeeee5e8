using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Aws.Signing;
using BatchPs.Core.Retries;

namespace BatchPs.Aws;

/// <summary>
/// The transport every small AWS client shares, whatever its protocol (JSON 1.0/1.1, query, REST):
/// endpoint resolution, SigV4 signing (<see cref="SigV4Signer"/>) on every attempt, retries with the
/// <see cref="Backoff"/> (exponential, full jitter) on throttling and server errors, and clock-skew
/// correction from the service's <c>Date</c> header. Protocol subclasses build the request
/// body and turn an error answer into an <see cref="AwsServiceException"/>.
/// </summary>
public abstract class AwsClientBase : IDisposable
{
    private readonly HttpClient _http;
    private readonly AwsClientSettings _settings;
    private readonly SigV4Signer _signer;
    private readonly Backoff _backoff;

    /// <summary>Creates the client for a service.</summary>
    /// <param name="settings">Region, credentials, endpoint override and retry policy.</param>
    /// <param name="signingService">The SigV4 service name (e.g. <c>states</c>).</param>
    /// <param name="endpointPrefix">The host prefix of the regional endpoint (e.g. <c>states</c>).</param>
    /// <param name="handler">The HTTP handler; null uses a new <see cref="HttpClientHandler"/>.</param>
    protected AwsClientBase(AwsClientSettings settings, string signingService, string endpointPrefix, HttpMessageHandler? handler)
    {
        _settings = settings;
        _signer = new SigV4Signer(settings.Credentials, settings.Region, signingService);
        _backoff = new Backoff(settings.BaseRetryDelay, settings.MaxRetryDelay);
        Endpoint = settings.ServiceUrl ?? new Uri($"https://{endpointPrefix}.{settings.Region.SystemName}.{DnsSuffix(settings.Region.SystemName)}/");
        // Redirects must never be followed below the signer: a redirected hop would carry a stale signature.
        _http = new HttpClient(handler ?? new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = settings.Timeout };
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint { get; }

    /// <summary>The correction applied to the local clock when signing, learnt from a skew error.</summary>
    public TimeSpan ClockOffset => _signer.ClockOffset;

    /// <summary>
    /// Sends a POST of <paramref name="body"/> to the endpoint root with the given headers, signed,
    /// retried as the settings say; returns the successful answer or throws the service's error.
    /// </summary>
    protected Task<AwsHttpResponse> SendAsync(byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "", body, headers, cancellationToken);

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="relativeUri"/> (relative to <see cref="Endpoint"/>, query
    /// string included; REST protocols) with an optional body, signed and retried like <see cref="SendAsync(byte[], IReadOnlyDictionary{string, string}, CancellationToken)"/>.
    /// </summary>
    protected async Task<AwsHttpResponse> SendAsync(HttpMethod method, string relativeUri, byte[]? body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var uri = relativeUri.Length == 0 ? Endpoint : new Uri(Endpoint, relativeUri);
        var skewCorrected = false;
        for (var attempt = 1; ; attempt++)
        {
            AwsHttpResponse response;
            try
            {
                response = await SendOnceAsync(method, uri, body, headers, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < _settings.MaxAttempts)
            {
                await DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < _settings.MaxAttempts)
            {
                // The attempt timed out (not the caller's cancellation): retry like a network error.
                await DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if ((int)response.StatusCode < 300)
                return response;

            var error = ParseError(response);
            if (!skewCorrected && SigV4Signer.IsClockSkewError(error.ErrorCode) && _signer.TryLearnClockOffset(response.ServerDate))
            {
                skewCorrected = true;
                attempt--; // a skew correction is not a retry of a failing service
                continue;
            }
            if (attempt < _settings.MaxAttempts && AwsErrorKinds.IsRetryable(error.ErrorCode, error.StatusCode))
            {
                await DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw error;
        }
    }

    /// <summary>
    /// A successful answer's JSON object (an empty body is an empty object); a body that is not a JSON object is an
    /// <see cref="AwsServiceException"/> <c>InvalidResponse</c> naming <paramref name="operation"/>.
    /// </summary>
    protected static JsonObject JsonAnswer(string operation, AwsHttpResponse response)
    {
        if (response.Body.Length == 0) return new JsonObject();
        try
        {
            return JsonNode.Parse(response.Body) as JsonObject
                ?? throw new AwsServiceException("InvalidResponse", $"{operation} answered with JSON that is not an object.", response.StatusCode, response.RequestId);
        }
        catch (JsonException ex)
        {
            throw new AwsServiceException("InvalidResponse", $"{operation} answered with a body that is not JSON: {ex.Message}", response.StatusCode, response.RequestId, ex);
        }
    }

    /// <summary>Turns an error answer (status 300 or more) into the exception callers see.</summary>
    protected abstract AwsServiceException ParseError(AwsHttpResponse response);

    private async Task<AwsHttpResponse> SendOnceAsync(HttpMethod method, Uri uri, byte[]? body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var signed = await _signer.SignAsync(method, uri, body, headers, cancellationToken).ConfigureAwait(false);

        using var request = new HttpRequestMessage(method, uri);
        if (body is not null) request.Content = new ByteArrayContent(body);
        foreach (var header in headers)
        {
            if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                (request.Content ??= new ByteArrayContent(Array.Empty<byte>())).Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
            else
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var header in signed)
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.FirstOrDefault() : null;
        return new AwsHttpResponse(response.StatusCode, bytes, requestId, response.Headers.Date, errorType);
    }

    private Task DelayAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(_backoff.Delay(attempt), cancellationToken);

    private static string DnsSuffix(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    /// <summary>Disposes the HTTP client.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the HTTP client when <paramref name="disposing"/>.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _http.Dispose();
    }
}
