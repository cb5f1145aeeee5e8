using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime.Signing;

namespace BatchPs.Admin.Aws;

/// <summary>
/// The AWS query protocol (CloudFormation): a form-encoded POST of <c>Action</c>, <c>Version</c> and the
/// parameters to the service root, signed with AWSSDK.Core's public <see cref="AWSSigV4Signer"/> on every
/// attempt; XML answers; errors as <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c>.
/// Retries throttling, 429 and 5xx with capped exponential backoff and full jitter, and corrects the
/// signing clock once from the service's <c>Date</c> header on a clock-skew error.
/// </summary>
internal sealed class AwsQueryClient : IDisposable
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
    private readonly string _service;
    private readonly string _version;
    private readonly RetrySettings _retry;
    private readonly Random _jitter = new();
    private long _clockOffsetTicks;

    public AwsQueryClient(AwsSession session, string service, string version, RetrySettings retry, HttpMessageHandler? handler = null)
    {
        _session = session;
        _service = service;
        _version = version;
        _retry = retry;
        Endpoint = session.EndpointUrl ?? new Uri($"https://{service}.{session.Region.SystemName}.{(session.Region.SystemName.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/");
        // Never follow redirects below the signer; the system proxy and HTTPS_PROXY/NO_PROXY apply (HttpClientHandler default).
        _http = new HttpClient(handler ?? new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = retry.AttemptTimeout };
    }

    public Uri Endpoint { get; }

    /// <summary>The correction applied to the local clock when signing, learnt from a skew error.</summary>
    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    /// <summary>Calls <paramref name="action"/>; returns the <c>{Action}Result</c> element (or the response root when there is none).</summary>
    public async Task<XElement> InvokeAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var body = new StringBuilder("Action=").Append(Uri.EscapeDataString(action)).Append("&Version=").Append(Uri.EscapeDataString(_version));
        foreach (var parameter in parameters)
            body.Append('&').Append(Uri.EscapeDataString(parameter.Key)).Append('=').Append(Uri.EscapeDataString(parameter.Value));
        var bytes = Encoding.UTF8.GetBytes(body.ToString());

        var skewCorrected = false;
        for (var attempt = 1; ; attempt++)
        {
            HttpStatusCode status;
            string text;
            DateTimeOffset? serverDate;
            try
            {
                (status, text, serverDate) = await SendOnceAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when ((ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)) && attempt < _retry.MaxAttempts)
            {
                await DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AwsRequestException(_service, "RequestTimeout", $"{action} got no answer from {Endpoint} within {_retry.AttemptTimeout.TotalSeconds:0} s, {attempt} attempts.", HttpStatusCode.RequestTimeout, null, ex);
            }
            catch (HttpRequestException ex)
            {
                throw new AwsRequestException(_service, "ConnectionFailed", $"{action} could not reach {Endpoint} ({ex.Message}); check the network, the proxy (HTTPS_PROXY) and -EndpointUrl.", 0, null, ex);
            }

            if ((int)status < 300)
            {
                var root = XDocument.Parse(text).Root ?? throw new AwsRequestException(_service, "InvalidResponse", $"{action} answered with an empty document.", status, null);
                return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? root;
            }

            var error = ParseError(action, status, text);
            if (!skewCorrected && ClockSkewCodes.Contains(error.ErrorCode) && TryLearnClockOffset(serverDate))
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

    private async Task<(HttpStatusCode, string, DateTimeOffset?)> SendOnceAsync(byte[] body, CancellationToken cancellationToken)
    {
        const string contentType = "application/x-www-form-urlencoded; charset=utf-8";
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = Endpoint, Content = body };
        signing.Headers["Content-Type"] = contentType;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = _session.Credentials,
            Region = _session.Region,
            Service = _service,
            SignedAt = DateTime.UtcNow + ClockOffset,
        }, cancellationToken).ConfigureAwait(false);

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var header in signed.Headers)
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return (response.StatusCode, text, response.Headers.Date);
    }

    private AwsRequestException ParseError(string action, HttpStatusCode status, string text)
    {
        try
        {
            var root = XDocument.Parse(text).Root;
            var error = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            var message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            var requestId = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;
            if (!string.IsNullOrEmpty(code))
                return new AwsRequestException(_service, code!, message ?? "", status, requestId);
        }
        catch (System.Xml.XmlException)
        {
            // Not XML (a proxy's page, say): reported below with the status.
        }
        var snippet = text.Length > 200 ? text.Substring(0, 200) : text;
        return new AwsRequestException(_service, "Http" + ((int)status).ToString(CultureInfo.InvariantCulture), $"{action} failed with HTTP {(int)status} and no AWS error document: {snippet}", status, null);
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
