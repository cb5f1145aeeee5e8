using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Aws.Tests;
using BatchPs.StateMachine.Errors;
using BatchPs.LocalStack.DynamoDb;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchPs.Lambda.Tests;

/// <summary>
/// A loopback DynamoDB (JSON 1.0, <c>DynamoDB_20120810</c>) for the calls the Lambda makes: GetItem
/// and UpdateItem, evaluated by the same DynamoDB expression evaluator the local stack runs the state
/// machine's writes with (condition and update expressions, every name and value used). It verifies each request's SigV4 signature and answers
/// as the DynamoDB API reference does: ConditionalCheckFailedException (400) when a condition fails,
/// ValidationException (400) for a name or value that is missing or unused.
/// </summary>
internal sealed class FakeDynamoDb : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Dictionary<string, Dictionary<string, JsonObject>>> _tables = new();
    private int _requests;

    private FakeDynamoDb(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");
    public int Requests => _requests;
    public ConcurrentQueue<string> Rejections { get; } = new();

    public static async Task<FakeDynamoDb> StartAsync(params (string Table, string Key)[] tables)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeDynamoDb(app);
        foreach (var (table, key) in tables) fake._tables[table] = new Dictionary<string, Dictionary<string, JsonObject>> { [key] = new(StringComparer.Ordinal) };
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    public void Put(string table, JsonObject item)
    {
        var (key, items) = Table(table);
        lock (items) items[item[key]!["S"]!.GetValue<string>()] = (JsonObject)item.DeepClone();
    }

    public JsonObject? Get(string table, string key)
    {
        var (_, items) = Table(table);
        lock (items) return items.TryGetValue(key, out var item) ? (JsonObject)item.DeepClone() : null;
    }

    private (string Key, Dictionary<string, JsonObject> Items) Table(string name)
    {
        var table = _tables[name].Single();
        return (table.Key, table.Value);
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();
        var check = SigV4Verifier.Verify(new SigV4Verifier.Request(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", headers, body), SecretKey, normalizePath: false, Region, "dynamodb");
        if (!check.Valid)
        {
            Rejections.Enqueue(check.Problem);
            await WriteAsync(context, 400, Error("InvalidSignatureException", "The request signature we calculated does not match the signature you provided."));
            return;
        }
        var request = JsonNode.Parse(body)!.AsObject();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        try
        {
            var answer = target switch
            {
                "DynamoDB_20120810.GetItem" => GetItem(request),
                "DynamoDB_20120810.UpdateItem" => UpdateItem(request),
                _ => throw new DynamoException("UnknownOperationException", "Unknown operation " + target),
            };
            await WriteAsync(context, 200, answer);
        }
        catch (StatesErrorException ex)
        {
            var error = ApiError(ex);
            await WriteAsync(context, 400, Error(error.Code, error.Message));
        }
        catch (DynamoException ex)
        {
            await WriteAsync(context, 400, Error(ex.Code, ex.Message));
        }
    }

    private JsonObject GetItem(JsonObject request)
    {
        var (keyName, items) = Table(request["TableName"]!.GetValue<string>());
        var key = request["Key"]![keyName]!["S"]!.GetValue<string>();
        lock (items) return DynamoDbGetItem.Respond(request, items.TryGetValue(key, out var item) ? item : null);
    }

    // The expression semantics are the local stack's DynamoDB evaluator (BatchPs.StateMachine), not a second copy.
    private JsonObject UpdateItem(JsonObject request)
    {
        var (keyName, items) = Table(request["TableName"]!.GetValue<string>());
        var key = request["Key"]![keyName]!["S"]!.GetValue<string>();
        lock (items)
        {
            var result = DynamoDbUpdateItem.Apply(request, items.TryGetValue(key, out var found) ? found : null);
            items[key] = result.Item;
            return result.Response;
        }
    }

    /// <summary>The DynamoDB API error for an evaluator failure (Step Functions names it DynamoDB.{exception}).</summary>
    private static DynamoException ApiError(StatesErrorException ex)
    {
        var code = ex.Error == DynamoDbErrors.ConditionalCheckFailed ? "ConditionalCheckFailedException" : "ValidationException";
        var message = ex.Cause ?? ex.Error;
        var service = message.IndexOf(" (Service: ", StringComparison.Ordinal);
        return new DynamoException(code, service > 0 ? message[..service] : message);
    }

    private static JsonObject Error(string code, string message) => new() { ["__type"] = "com.amazonaws.dynamodb.v20120810#" + code, ["message"] = message };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class DynamoException : Exception
    {
        public DynamoException(string code, string message) : base(message) => Code = code;
        public string Code { get; }
    }
}
