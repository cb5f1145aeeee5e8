using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BatchPs.Core.Api;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Client;

/// <summary>
/// The trigger API over HTTP (<c>POST /triggers</c>, <c>GET /triggers/{id}</c>, <c>GET /triggers/{id}/history</c>) with an API key: no AWS
/// SDK. One instance owns one <see cref="HttpClient"/> and is meant to be reused for every call to its
/// endpoint. Connection failures, timeouts, 429 and 5xx are retried per <see cref="RetryPolicy"/>,
/// honouring <c>Retry-After</c>; a send carries one idempotency key across all its attempts, so one
/// call never makes two triggers. Failures surface as <see cref="BatchTriggerException"/>.
/// </summary>
/// <remarks>
/// For a stack with IAM auth the options carry a signer (<see cref="BatchTriggerClientOptions.Signer"/>)
/// instead of a key; it is called for every attempt, so each retry is signed afresh, and a signature refused because
/// the local clock is off is signed again at once with the service's time. The AWS SDK stays outside.
/// </remarks>
public sealed partial class BatchTriggerClient : IDisposable
{
    private const string ApiKeyHeader = "x-api-key";

    /// <summary>The header on a <c>202</c> that returns the trigger an earlier send with the same idempotency key made.</summary>
    public const string ReplayHeader = "BatchPs-Idempotent-Replay";
    private readonly HttpClient _http;
    private readonly BatchTriggerClientOptions _options;
    private readonly Uri _triggersUri;

    /// <summary>Creates a client with its own connection pool.</summary>
    public BatchTriggerClient(BatchTriggerClientOptions options)
        : this(options, CreateHandler(options))
    {
    }

    /// <summary>Creates a client over a given handler (which it disposes).</summary>
    public BatchTriggerClient(BatchTriggerClientOptions options, HttpMessageHandler handler)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("BatchPs", typeof(BatchTriggerClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var baseText = options.Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        _triggersUri = new Uri(new Uri(baseText), "triggers");
    }

    /// <summary>The endpoint this client calls.</summary>
    public Uri Endpoint => _options.Endpoint;

    /// <summary>
    /// Sends a trigger. When <paramref name="request"/> has no idempotency key, one is generated and
    /// set on it before the first attempt, and every retry reuses it.
    /// </summary>
    /// <returns>The accepted trigger record (or the earlier one when the key was seen before).</returns>
    public async Task<TriggerRecord> SendAsync(TriggerRequest request, CancellationToken cancellationToken = default) =>
        (await SendForResultAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false)).Record;

    /// <summary>
    /// Sends a trigger as <see cref="SendAsync"/> does, and tells whether the answer was a replay of an earlier send
    /// with the same idempotency key and request.
    /// </summary>
    /// <param name="request">The trigger to send.</param>
    /// <param name="cancellationToken">Cancels the call and its retries.</param>
    /// <param name="retries">Told of every attempt that failed and will be retried (on the thread that saw it).</param>
    public async Task<TriggerSendResult> SendForResultAsync(TriggerRequest request, IProgress<TriggerRetry>? retries = null, CancellationToken cancellationToken = default)
    {
        if (request is null) throw new ArgumentNullException(nameof(request));
        if (string.IsNullOrEmpty(request.IdempotencyKey)) request.IdempotencyKey = NewIdempotencyKey();
        var body = JsonSerializer.SerializeToUtf8Bytes(request, BatchPsJson.Options);
        return await CallAsync((response, content) => new TriggerSendResult(ReadRecord(response, content),
            response.Headers.TryGetValues(ReplayHeader, out var replay) && replay.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase))), () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _triggersUri) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return message;
        }, retries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a trigger by id; an unknown id throws with code <see cref="ErrorCodes.TriggerNotFound"/>.</summary>
    public Task<TriggerRecord> GetAsync(string triggerId, IProgress<TriggerRetry>? retries = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(triggerId)) throw new ArgumentException("The trigger id is empty.", nameof(triggerId));
        var uri = new Uri(_triggersUri.AbsoluteUri + "/" + Uri.EscapeDataString(triggerId));
        return CallAsync(ReadRecord, () => new HttpRequestMessage(HttpMethod.Get, uri), retries, cancellationToken);
    }

    /// <summary>Reads a trigger's execution history; an unknown id throws with code <see cref="ErrorCodes.TriggerNotFound"/>.</summary>
    public Task<TriggerHistory> GetHistoryAsync(string triggerId, IProgress<TriggerRetry>? retries = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(triggerId)) throw new ArgumentException("The trigger id is empty.", nameof(triggerId));
        var uri = new Uri(_triggersUri.AbsoluteUri + "/" + Uri.EscapeDataString(triggerId) + "/history");
        return CallAsync(ReadHistory, () => new HttpRequestMessage(HttpMethod.Get, uri), retries, cancellationToken);
    }

    /// <summary>A fresh idempotency key: 32 hex digits (a GUID), valid for the API's key pattern.</summary>
    public static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<T> CallAsync<T>(Func<HttpResponseMessage, byte[], T> read, Func<HttpRequestMessage> createRequest, IProgress<TriggerRetry>? retries, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var clockCorrected = false;
        for (var attempt = 1; ; attempt++)
        {
            BatchTriggerException failure;
            TimeSpan? retryAfter = null;
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptCts.CancelAfter(_options.AttemptTimeout);
                try
                {
                    using var request = createRequest();
                    if (_options.Signer is { } signer) await signer.SignAsync(request, attemptCts.Token).ConfigureAwait(false);
                    else request.Headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                    var content = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) return read(response, content);
                    if (!clockCorrected && _options.Signer?.TryCorrectClock(response) == true)
                    {
                        clockCorrected = true;
                        attempt--; // signed again with the service's time: not a retry of a failing service
                        continue;
                    }
                    failure = ReadError(response, content);
                    if (!RetryPolicy.IsRetryableStatus((int)response.StatusCode)) throw Final(failure, attempt);
                    retryAfter = response.Headers.TryGetValues("Retry-After", out var values)
                        ? RetryAfter.Parse(values.FirstOrDefault(), DateTimeOffset.UtcNow)
                        : null;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new BatchTriggerException(ClientErrorCodes.Timeout,
                        $"{_options.Endpoint} did not answer within {_options.AttemptTimeout.TotalSeconds:0.#} s.", innerException: ex);
                }
                catch (HttpRequestException ex) when (!RetryPolicy.IsRetryable(ex))
                {
                    throw Final(new BatchTriggerException(ClientErrorCodes.ConnectionFailed, DescribeFinal(ex), innerException: ex), attempt);
                }
                catch (HttpRequestException ex)
                {
                    failure = new BatchTriggerException(ClientErrorCodes.ConnectionFailed,
                        MessageText.Sentences($"Could not reach {_options.Endpoint}: {Innermost(ex).Message}", "Check the endpoint URL, that the stack is running, and any proxy (HTTPS_PROXY, NO_PROXY)."), innerException: ex);
                }
            }
            var delay = _options.Retry.NextDelay(attempt, clock.Elapsed, retryAfter);
            if (delay is null) throw Final(failure, attempt, clock.Elapsed);
            retries?.Report(new TriggerRetry(attempt, delay.Value, clock.Elapsed, failure));
            await Task.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
        }
    }

    private static BatchTriggerException Final(BatchTriggerException failure, int attempts, TimeSpan? elapsed = null)
    {
        failure.Attempts = attempts;
        if (attempts > 1 && elapsed is { } spent)
            failure.RetriesNote = $"Gave up after {attempts} attempts in {spent.TotalSeconds:0} s.";
        return failure;
    }

    // The failures a retry cannot fix, said plainly.
    private string DescribeFinal(HttpRequestException ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
                return MessageText.Sentences($"Could not reach {_options.Endpoint}: the TLS handshake failed ({Innermost(ex).Message.TrimEnd('.')})",
                    _options.Endpoint.Scheme == Uri.UriSchemeHttps ? "If the stack serves plain HTTP (the local stack does), use an http:// endpoint; otherwise check the server's certificate." : "Check the endpoint URL.");
            if (e is System.Net.Sockets.SocketException)
                return MessageText.Sentences($"Could not reach {_options.Endpoint}: the host name '{_options.Endpoint.Host}' is unknown to DNS", "Check the endpoint URL (the stack's output or the deployment printed it).");
        }
        return MessageText.Sentences($"Could not reach {_options.Endpoint}: {Innermost(ex).Message}");
    }

    private TriggerRecord ReadRecord(HttpResponseMessage response, byte[] content)
    {
        try
        {
            var record = JsonSerializer.Deserialize<TriggerRecord>(content, BatchPsJson.Lenient);
            if (record is not null && record.TriggerId.Length > 0) return record;
        }
        catch (JsonException ex)
        {
            throw new BatchTriggerException(ClientErrorCodes.InvalidResponse,
                $"{_options.Endpoint} answered {(int)response.StatusCode} with a body that is not a trigger record ({ex.Message}). Is the endpoint a BatchPs stack?", (int)response.StatusCode, innerException: ex);
        }
        throw new BatchTriggerException(ClientErrorCodes.InvalidResponse,
            $"{_options.Endpoint} answered {(int)response.StatusCode} without a trigger record. Is the endpoint a BatchPs stack?", (int)response.StatusCode);
    }

    private TriggerHistory ReadHistory(HttpResponseMessage response, byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("triggerId", out var id) && id.ValueKind == JsonValueKind.String
                && root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array)
            {
                return new TriggerHistory
                {
                    TriggerId = id.GetString()!,
                    ExecutionId = Text(root, "executionId"),
                    Status = Text(root, "status"),
                    TransitionCount = root.TryGetProperty("transitionCount", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt32() : 0,
                    Events = events.EnumerateArray().Select(e => new TriggerHistoryEvent
                    {
                        Id = e.TryGetProperty("id", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : 0,
                        Timestamp = e.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String ? t.GetDateTimeOffset() : default,
                        Type = Text(e, "type") ?? "",
                        StateName = Text(e, "stateName"),
                        Input = e.TryGetProperty("input", out var input) ? input.GetRawText() : null,
                        Output = e.TryGetProperty("output", out var output) ? output.GetRawText() : null,
                        Error = Text(e, "error"),
                        Cause = Text(e, "cause"),
                        Resource = Text(e, "resource"),
                    }).ToList(),
                };
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new BatchTriggerException(ClientErrorCodes.InvalidResponse,
                $"{_options.Endpoint} answered {(int)response.StatusCode} with a body that is not a trigger history ({ex.Message}). Is the endpoint a BatchPs stack with the history route?", (int)response.StatusCode, innerException: ex);
        }
        throw new BatchTriggerException(ClientErrorCodes.InvalidResponse,
            $"{_options.Endpoint} answered {(int)response.StatusCode} without a trigger history. Is the endpoint a BatchPs stack with the history route?", (int)response.StatusCode);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private BatchTriggerException ReadError(HttpResponseMessage response, byte[] content)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var doc = JsonDocument.Parse(content);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
            {
                var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : $"The server answered {status} {code.GetString()}.";
                var field = root.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                return new BatchTriggerException(code.GetString()!, message, status, field);
            }
        }
        catch (JsonException)
        {
            // Not the API's error shape (a proxy or load balancer page): described below.
        }
        var text = content.Length == 0 ? "" : ": " + Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 200)).Trim();
        return new BatchTriggerException(CodeForStatus(status), $"{_options.Endpoint} answered {status} {response.ReasonPhrase}{text}", status);
    }

    private static string CodeForStatus(int status) => status switch
    {
        401 or 403 => ErrorCodes.Forbidden,
        404 => ErrorCodes.NotFound,
        405 => ErrorCodes.MethodNotAllowed,
        413 => ErrorCodes.BodyTooLarge,
        415 => ErrorCodes.UnsupportedMediaType,
        429 => ErrorCodes.Throttled,
        503 => ErrorCodes.ServiceUnavailable,
        507 => ErrorCodes.StorageFull,
        >= 500 => ErrorCodes.InternalError,
        _ => ClientErrorCodes.InvalidResponse,
    };

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }

    private static HttpMessageHandler CreateHandler(BatchTriggerClientOptions options)
    {
        var handler = new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseProxy = true,
            DefaultProxyCredentials = CredentialCache.DefaultCredentials,
        };
        if (options.Proxy is not null) handler.Proxy = options.Proxy;
        return handler;
    }
}
