using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchPs.Aws.Tests;
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
/// and UpdateItem, with the expression language subset they use - SET with <c>=</c> and <c>+</c>, ADD
/// on numbers, conditions joined by AND of <c>attribute_exists</c>, <c>attribute_not_exists</c> and
/// comparisons (numbers compared as numbers). It verifies each request's SigV4 signature and answers
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
        catch (DynamoException ex)
        {
            await WriteAsync(context, 400, Error(ex.Code, ex.Message));
        }
    }

    private JsonObject GetItem(JsonObject request)
    {
        var (keyName, items) = Table(request["TableName"]!.GetValue<string>());
        var key = request["Key"]![keyName]!["S"]!.GetValue<string>();
        lock (items) return items.TryGetValue(key, out var item) ? new JsonObject { ["Item"] = item.DeepClone() } : new JsonObject();
    }

    private JsonObject UpdateItem(JsonObject request)
    {
        var (keyName, items) = Table(request["TableName"]!.GetValue<string>());
        var key = request["Key"]![keyName]!["S"]!.GetValue<string>();
        var names = request["ExpressionAttributeNames"]?.AsObject() ?? new JsonObject();
        var values = request["ExpressionAttributeValues"]?.AsObject() ?? new JsonObject();
        var update = request["UpdateExpression"]!.GetValue<string>();
        var condition = request["ConditionExpression"]?.GetValue<string>() ?? "";
        var used = Regex.Matches(update + " " + condition, "[#:][A-Za-z0-9_]+").Select(m => m.Value).ToHashSet();
        foreach (var defined in names.Select(n => n.Key).Concat(values.Select(v => v.Key)))
        {
            if (!used.Contains(defined)) throw new DynamoException("ValidationException", $"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{defined}}}");
        }

        lock (items)
        {
            var existing = items.TryGetValue(key, out var found) ? found : null;
            if (condition.Length > 0 && !Condition(condition, existing, names, values))
                throw new DynamoException("ConditionalCheckFailedException", "The conditional request failed");
            var item = existing is null ? new JsonObject { [keyName] = new JsonObject { ["S"] = key } } : (JsonObject)existing.DeepClone();
            Apply(update, item, names, values);
            items[key] = item;
            return new JsonObject();
        }
    }

    private static bool Condition(string expression, JsonObject? item, JsonObject names, JsonObject values) =>
        expression.Split(" AND ").All(part =>
        {
            var function = Regex.Match(part.Trim(), "^(attribute_exists|attribute_not_exists)\\((#[A-Za-z0-9_]+)\\)$");
            if (function.Success)
            {
                var present = item?[Name(function.Groups[2].Value, names)] is not null;
                return function.Groups[1].Value == "attribute_exists" ? present : !present;
            }
            var comparison = Regex.Match(part.Trim(), "^(\\S+) (=|<>|<|<=|>|>=) (\\S+)$");
            if (!comparison.Success) throw new DynamoException("ValidationException", "Invalid ConditionExpression: " + part);
            var left = Operand(comparison.Groups[1].Value, item, names, values);
            var right = Operand(comparison.Groups[3].Value, item, names, values);
            if (left is null || right is null) return false;
            var order = Compare(left, right);
            return comparison.Groups[2].Value switch
            {
                "=" => order == 0, "<>" => order != 0, "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0,
            };
        });

    private static void Apply(string expression, JsonObject item, JsonObject names, JsonObject values)
    {
        foreach (Match section in Regex.Matches(expression, "(SET|ADD|REMOVE) (.*?)(?= (?:SET|ADD|REMOVE) |$)"))
        {
            foreach (var action in section.Groups[2].Value.Split(", "))
            {
                switch (section.Groups[1].Value)
                {
                    case "SET":
                        var parts = action.Split(" = ");
                        var terms = parts[1].Split(" + ").Select(t => Operand(t, item, names, values) ?? throw new DynamoException("ValidationException", "The provided expression refers to an attribute that does not exist in the item")).ToList();
                        item[Name(parts[0], names)] = terms.Count == 1 ? terms[0].DeepClone() : Number(terms.Sum(t => Decimal(t)));
                        break;
                    case "ADD":
                        var add = action.Split(' ');
                        var attribute = Name(add[0], names);
                        var current = item[attribute] is JsonObject c ? Decimal(c) : 0m;
                        item[attribute] = Number(current + Decimal(Operand(add[1], item, names, values)!));
                        break;
                    default:
                        item.Remove(Name(action, names));
                        break;
                }
            }
        }
    }

    private static string Name(string token, JsonObject names) =>
        token.StartsWith('#') ? names[token]?.GetValue<string>() ?? throw new DynamoException("ValidationException", $"An expression attribute name used in the document path is not defined; attribute name: {token}") : token;

    private static JsonObject? Operand(string token, JsonObject? item, JsonObject names, JsonObject values) =>
        token.StartsWith(':')
            ? values[token]?.AsObject() ?? throw new DynamoException("ValidationException", $"An expression attribute value used in expression is not defined; attribute value: {token}")
            : item?[Name(token, names)]?.AsObject();

    private static int Compare(JsonObject a, JsonObject b)
    {
        if (a["N"] is not null && b["N"] is not null) return Decimal(a).CompareTo(Decimal(b));
        if (a["S"] is not null && b["S"] is not null) return string.CompareOrdinal(a["S"]!.GetValue<string>(), b["S"]!.GetValue<string>());
        throw new DynamoException("ValidationException", "Invalid ConditionExpression: an operand type mismatch");
    }

    private static decimal Decimal(JsonObject number) => decimal.Parse(number["N"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static JsonObject Number(decimal value) => new() { ["N"] = value.ToString(CultureInfo.InvariantCulture) };

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
