using System.Collections.Concurrent;
using System.Text;
using BatchPs.TestSupport.SigV4;
using Microsoft.AspNetCore.Http;

namespace BatchPs.TestSupport.Aws;

/// <summary>
/// One loopback Kestrel server that answers as CloudFormation, S3, STS and DynamoDB do (shapes from the API
/// references), choosing the service from the SigV4 credential scope. Every request's signature is checked;
/// a bad one gets AWS's error and is counted in <see cref="SignatureFailures"/>.
/// </summary>
public sealed class FakeAws : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLEBATCHPS";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Account = "123456789012";
    public const string Region = "eu-west-1";

    private LoopbackServer? _server;
    private readonly AwsRequestVerifier _verifier = new(new Dictionary<string, string> { [AccessKey] = SecretKey });

    private FakeAws()
    {
    }

    public Uri Endpoint => _server!.Address;
    public FakeCloudFormation CloudFormation { get; } = new();
    public FakeS3 S3 { get; } = new();
    public FakeDynamoDb DynamoDb { get; } = new(("BatchPs-Catalog", "name"));
    /// <summary>API Gateway CreateDeployment calls: REST API id and stage.</summary>
    public ConcurrentQueue<(string RestApiId, string Stage)> ApiDeployments { get; } = new();
    /// <summary>API Gateway API keys: id to value.</summary>
    public ConcurrentDictionary<string, string> ApiKeys { get; } = new() { ["k3y1d"] = "Sup3r-Secret-Api-Key-Value" };

    /// <summary>The Accept header of each API Gateway request (the SDKs send application/json; without it the
    /// management API may answer in HAL, application/hal+json).</summary>
    public ConcurrentQueue<string> ApiGatewayAccepts { get; } = new();

    /// <summary>Each request as it arrived on the wire (method, path and query, the headers a protocol is about, body).</summary>
    public ConcurrentQueue<WireRequest> WireRequests { get; } = new();

    /// <summary>Each request as "service Operation" in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentQueue<string> SignatureFailures { get; } = new();
    /// <summary>The server's clock runs this far from the machine's (clock-skew tests).</summary>
    public TimeSpan ClockOffset { get; set; }
    /// <summary>How many coming CloudFormation calls answer <c>Throttling</c>.</summary>
    public int ThrottleNext
    {
        get => Volatile.Read(ref _throttleNext);
        set => Volatile.Write(ref _throttleNext, value);
    }

    private int _throttleNext;

    /// <summary>The actions of <paramref name="service"/> in order, polls included.</summary>
    public List<string> Actions(string service) =>
        Requests.Where(r => r.StartsWith(service + " ", StringComparison.Ordinal)).Select(r => r.Substring(service.Length + 1)).ToList();

    /// <summary>The CloudFormation and S3 calls that change something, in order.</summary>
    public List<string> Mutations() => Requests
        .Where(r => r.StartsWith("cloudformation ", StringComparison.Ordinal) && !r.Contains(" Describe", StringComparison.Ordinal) && !r.Contains(" !", StringComparison.Ordinal)
                    || r.StartsWith("s3 PUT", StringComparison.Ordinal))
        .ToList();

    public static async Task<FakeAws> StartAsync()
    {
        var fake = new FakeAws();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LoopbackServer.ReadBodyAsync(context);
        WireRequests.Enqueue(new WireRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
            new[] { "Content-Type", "X-Amz-Target", "Accept" }.Where(h => context.Request.Headers.ContainsKey(h))
                .ToDictionary(h => h.ToLowerInvariant(), h => context.Request.Headers[h].ToString()),
            Encoding.UTF8.GetString(body)));
        var now = DateTime.UtcNow + ClockOffset;
        context.Response.Headers.Date = now.ToString("R");

        var failure = _verifier.Verify(context.Request, body, now, out var service, out _);
        if (failure is { } bad)
        {
            SignatureFailures.Enqueue($"{service} {bad.Code}: {bad.Message}");
            Requests.Enqueue($"{service} !{bad.Code}"); // '!': refused before reaching the service
            await WriteQueryError(context, 403, bad.Code, bad.Message);
            return;
        }

        switch (service)
        {
            case "cloudformation":
            {
                var form = Form(body);
                var action = form.GetValueOrDefault("Action", "");
                Requests.Enqueue($"cloudformation {action}");
                if (ThrottleNext > 0 && Interlocked.Decrement(ref _throttleNext) >= 0)
                {
                    await WriteQueryError(context, 400, "Throttling", "Rate exceeded");
                    return;
                }
                var (status, xml) = CloudFormation.Handle(action, form);
                await Write(context, status, "text/xml", xml);
                return;
            }
            case "sts":
            {
                var form = Form(body);
                Requests.Enqueue($"sts {form.GetValueOrDefault("Action", "")}");
                await Write(context, 200, "text/xml",
                    $"<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::{Account}:user/admin</Arn><UserId>AIDAEXAMPLE</UserId><Account>{Account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
                return;
            }
            case "s3":
            {
                Requests.Enqueue($"s3 {context.Request.Method} {context.Request.Path}");
                await S3.HandleAsync(context, body);
                return;
            }
            case "apigateway":
            {
                Requests.Enqueue($"apigateway {context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
                ApiGatewayAccepts.Enqueue(context.Request.Headers.Accept.ToString());
                if (context.Request.Method == "POST" && context.Request.Path.Value!.EndsWith("/deployments", StringComparison.Ordinal))
                {
                    var restApi = context.Request.Path.Value.Split('/')[2];
                    var stage = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("stageName").GetString()!;
                    ApiDeployments.Enqueue((restApi, stage));
                    await Write(context, 201, "application/json", $"{{\"id\":\"dep{ApiDeployments.Count}\",\"createdDate\":1700000000}}");
                    return;
                }
                var id = context.Request.Path.Value!.Split('/').Last();
                if (context.Request.Method == "GET" && ApiKeys.TryGetValue(id, out var value) && context.Request.Query["includeValue"] == "true")
                {
                    await Write(context, 200, "application/json", $"{{\"id\":\"{id}\",\"value\":\"{value}\",\"name\":\"BatchPs\",\"enabled\":true}}");
                    return;
                }
                context.Response.Headers["x-amzn-ErrorType"] = "NotFoundException";
                await Write(context, 404, "application/json", "{\"message\":\"Invalid API Key identifier specified\"}");
                return;
            }
            case "dynamodb":
            {
                var target = context.Request.Headers["X-Amz-Target"].ToString();
                var operation = target.Substring(target.IndexOf('.') + 1);
                Requests.Enqueue($"dynamodb {operation}");
                var (status, json) = DynamoDb.Handle(target, body);
                await Write(context, status, "application/x-amz-json-1.0", json);
                return;
            }
            default:
                await WriteQueryError(context, 400, "UnknownService", $"No fake for service '{service}'.");
                return;
        }
    }

    internal static Dictionary<string, string> Form(byte[] body) =>
        Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");

    private static Task WriteQueryError(HttpContext context, int status, string code, string message) =>
        Write(context, status, "text/xml", FakeCloudFormation.Error(code, message));

    internal static async Task Write(HttpContext context, int status, string contentType, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(text);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>A request as it arrived: method, path and query, protocol headers (lowercase names), body text.</summary>
public sealed record WireRequest(string Method, string PathAndQuery, Dictionary<string, string> Headers, string Body);
