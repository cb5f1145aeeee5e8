using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using BatchPs.TestSupport.SigV4;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BatchPs.TestSupport.Aws;

/// <summary>
/// A loopback Kestrel server that answers as an API Gateway stage with AWS_IAM authorization in front of the
/// trigger API (<c>{stage}/triggers</c>): every request's SigV4 signature is verified for service
/// <c>execute-api</c> (with the independent verifier checked against the official vectors); a missing or bad one
/// gets API Gateway's 403 (<c>{"message": ...}</c> and <c>x-amzn-ErrorType</c>), and so does a signature dated more
/// than 5 minutes from the server's clock (<c>Signature expired</c> / <c>Signature not yet current</c>, with the
/// server's <c>Date</c>); a good one gets the trigger API's answer.
/// </summary>
public sealed class FakeExecuteApi : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLEEXECAPI";
    public const string SecretKey = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
    public const string Region = "eu-west-1";
    public const string Stage = "prod";

    private LoopbackServer? _server;
    private readonly ConcurrentDictionary<string, string> _jobs = new();
    private int _next;

    /// <summary>The stage URL (what the stack's ApiEndpoint output would be).</summary>
    public Uri Endpoint => new(_server!.Address, Stage);

    /// <summary>Every request as it arrived, with the verifier's verdict.</summary>
    public ConcurrentQueue<Seen> Requests { get; } = new();

    /// <summary>The server's clock runs this far from the machine's (clock-skew tests).</summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>How many coming POSTs answer 503 with <c>Retry-After: 1</c> (an integration that is briefly unavailable).</summary>
    public int UnavailableNext
    {
        get => Volatile.Read(ref _unavailableNext);
        set => Volatile.Write(ref _unavailableNext, value);
    }

    private int _unavailableNext;

    public sealed record Seen(string Method, string Path, string? Authorization, string? AmzDate, string? SecurityToken, bool Valid, string Problem);

    public static async Task<FakeExecuteApi> StartAsync()
    {
        var fake = new FakeExecuteApi();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LoopbackServer.ReadBodyAsync(context);
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var q = raw.IndexOf('?');
        var query = q >= 0 ? raw[(q + 1)..] : "";
        var path = q >= 0 ? raw[..q] : raw;
        var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), v ?? ""))).ToList();
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        var now = DateTime.UtcNow + ClockOffset;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.Headers.Date = now.ToString("R", CultureInfo.InvariantCulture);

        if (authorization is null)
        {
            Requests.Enqueue(new Seen(context.Request.Method, path, null, null, null, false, "no Authorization header"));
            await Deny(context, "MissingAuthenticationTokenException", "Missing Authentication Token");
            return;
        }
        var verdict = SigV4Verifier.Verify(new SigV4Verifier.Request(context.Request.Method, path, query, headers, body), SecretKey, normalizePath: true, Region, "execute-api");
        var knownKey = authorization.Contains("Credential=" + AccessKey + "/", StringComparison.Ordinal);
        Requests.Enqueue(new Seen(context.Request.Method, path, authorization, context.Request.Headers["x-amz-date"].FirstOrDefault(),
            context.Request.Headers["x-amz-security-token"].FirstOrDefault(), knownKey && verdict.Valid, knownKey ? verdict.Problem : "unknown access key"));
        if (!knownKey)
        {
            await Deny(context, "UnrecognizedClientException", "The security token included in the request is invalid.");
            return;
        }
        if (!verdict.Valid)
        {
            await Deny(context, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
            return;
        }
        var amzDate = context.Request.Headers["x-amz-date"].ToString();
        var signedAt = DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        if (signedAt < now.AddMinutes(-5))
        {
            await Deny(context, "InvalidSignatureException", $"Signature expired: {amzDate} is now earlier than {now.AddMinutes(-5):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 5 min.)");
            return;
        }
        if (signedAt > now.AddMinutes(5))
        {
            await Deny(context, "InvalidSignatureException", $"Signature not yet current: {amzDate} is still later than {now.AddMinutes(5):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} + 5 min.)");
            return;
        }

        var prefix = "/" + Stage + "/triggers";
        if (context.Request.Method == "POST" && path == prefix)
        {
            if (Interlocked.Decrement(ref _unavailableNext) >= 0)
            {
                context.Response.Headers.RetryAfter = "1";
                await Answer(context, 503, """{"code":"ServiceUnavailable","message":"The trigger service is briefly unavailable; retry."}""");
                return;
            }
            var job = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("jobName").GetString()!;
            var id = "t-" + Interlocked.Increment(ref _next);
            _jobs[id] = job;
            await Answer(context, 202, Record(id, job, "RECEIVED"));
        }
        else if (context.Request.Method == "GET" && path.StartsWith(prefix + "/", StringComparison.Ordinal)
                 && _jobs.TryGetValue(Uri.UnescapeDataString(path[(prefix.Length + 1)..]), out var known))
        {
            await Answer(context, 200, Record(Uri.UnescapeDataString(path[(prefix.Length + 1)..]), known, "SUCCEEDED"));
        }
        else if (context.Request.Method == "GET" && path.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            await Answer(context, 404, """{"code":"TriggerNotFound","message":"No trigger with that id."}""");
        }
        else
        {
            await Deny(context, "MissingAuthenticationTokenException", "Missing Authentication Token"); // API Gateway's answer for an unknown route
        }
    }

    private static string Record(string id, string job, string status)
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        return $$"""{"triggerId":"{{id}}","jobName":"{{job}}","parameters":{},"idempotencyKey":"k-{{id}}","status":"{{status}}","createdAt":"{{now}}","updatedAt":"{{now}}","statusChangedAt":"{{now}}"}""";
    }

    private static Task Deny(HttpContext context, string errorType, string message)
    {
        context.Response.Headers["x-amzn-ErrorType"] = errorType;
        return Answer(context, 403, "{\"message\":\"" + message + "\"}");
    }

    private static async Task Answer(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
