using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime.Signing;

namespace BatchPs.Admin.Aws;

/// <summary>
/// Sends signed requests to one AWS service, whatever its protocol: SigV4 with AWSSDK.Core's public
/// <see cref="AWSSigV4Signer"/> on every attempt; retries on connection failures, timeouts, throttling,
/// 429 and 5xx with capped exponential backoff and full jitter; corrects the signing clock once from the
/// service's <c>Date</c> header on a clock-skew error. Protocol clients turn error answers into
/// <see cref="AwsRequestException"/>s.
/// </summary>
internal sealed class AwsSignedTransport : IDisposable
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled", "SlowDown",
    };

    private static readonly HashSet<string> ClockSkewCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeTooSkewed", "RequestExpired", "SignatureDoesNotMatch", "InvalidSignatureException", "RequestInTheFuture",
    };

    private readonly HttpClient _http;
    private readonly AwsSession _session;
    private readonly RetrySettings _retry;
    private readonly Random _jitter = new();
    private long _clockOffsetTicks;

    public AwsSignedTransport(AwsSession session, string service, RetrySettings retry, HttpMessageHandler? handler = null)
    {
        _session = session;
        Service = service;
        _retry = retry;
        var region = session.Region.SystemName;
        Endpoint = session.EndpointUrl ?? new Uri($"https://{service}.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/");
        // Never follow redirects below the signer; the system proxy and HTTPS_PROXY/NO_PROXY apply (HttpClientHandler default).
        _http = new HttpClient(handler ?? new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = retry.AttemptTimeout };
    }

    /// <summary>The SigV4 service name, also the endpoint prefix.</summary>
    public string Service { get; }

    /// <summary>The service root requests go to.</summary>
    public Uri Endpoint { get; }

    /// <summary>The correction applied to the local clock when signing, learnt from a skew error.</summary>
    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="relativeUri"/> (relative to <see cref="Endpoint"/>), retried as the
    /// settings say; returns the successful answer's body, or throws what <paramref name="parseError"/> makes of the error.
    /// </summary>
    public async Task<string> SendAsync(HttpMethod method, string relativeUri, byte[]? body, string? contentType, string operation,
        Func<HttpStatusCode, HttpResponseHeaders, string, AwsRequestException> parseError, CancellationToken cancellationToken)
    {
        var uri = new Uri(Endpoint, relativeUri);
        var skewCorrected = false;
        for (var attempt = 1; ; attempt++)
        {
            HttpStatusCode status;
            string text;
            HttpResponseHeaders headers;
            try
            {
                (status, text, headers) = await SendOnceAsync(method, uri, body, contentType, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when ((ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)) && attempt < _retry.MaxAttempts)
            {
                await DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AwsRequestException(Service, "RequestTimeout", $"{operation} got no answer from {Endpoint} within {_retry.AttemptTimeout.TotalSeconds:0} s, {attempt} attempts.", HttpStatusCode.RequestTimeout, null, ex);
            }
            catch (HttpRequestException ex)
            {
                throw new AwsRequestException(Service, "ConnectionFailed", $"{operation} could not reach {Endpoint} ({ex.Message}); check the network, the proxy (HTTPS_PROXY) and -EndpointUrl.", 0, null, ex);
            }

            if ((int)status < 300) return text;

            var error = parseError(status, headers, text);
            if (!skewCorrected && ClockSkewCodes.Contains(error.ErrorCode) && TryLearnClockOffset(headers.Date))
            {
                skewCorrected = true;
                attempt--; // a skew correction is not a retry of a failing service
                continue;
            }
            if (attempt < _retry.MaxAttempts && (ThrottlingCodes.Contains(error.ErrorCode) || (int)status == 429 || (int)status >= 500))
            {
                await DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            throw error;
        }
    }

    private async Task<(HttpStatusCode, string, HttpResponseHeaders)> SendOnceAsync(HttpMethod method, Uri uri, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest { HttpMethod = method, RequestUri = uri, Content = body };
        if (contentType is not null) signing.Headers["Content-Type"] = contentType;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = _session.Credentials,
            Region = _session.Region,
            Service = Service,
            SignedAt = DateTime.UtcNow + ClockOffset,
        }, cancellationToken).ConfigureAwait(false);

        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        foreach (var header in signed.Headers)
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return (response.StatusCode, text, response.Headers);
    }

    private bool TryLearnClockOffset(DateTimeOffset? serverDate)
    {
        if (serverDate is not { } date) return false;
        var offset = date.UtcDateTime - DateTime.UtcNow;
        if (Math.Abs(offset.TotalMinutes) < 1) return false; // the clock is fine: the error has another cause
        Interlocked.Exchange(ref _clockOffsetTicks, offset.Ticks);
        return true;
    }

    private Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        var cap = Math.Min(_retry.MaxDelay.TotalMilliseconds, _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        double factor;
        lock (_jitter) factor = _jitter.NextDouble();
        return Task.Delay(TimeSpan.FromMilliseconds(cap * factor), cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
