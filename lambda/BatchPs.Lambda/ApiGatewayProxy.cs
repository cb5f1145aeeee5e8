using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Json;

namespace BatchPs.Lambda;

/// <summary>
/// API Gateway's Lambda proxy integration (REST API, payload format 1.0) as the read function sees it: the request
/// (<c>resource</c>, <c>httpMethod</c>, <c>pathParameters</c>, <c>multiValueQueryStringParameters</c>, already
/// URL-decoded) and the answer <c>{"statusCode", "headers", "body"}</c> (API Gateway developer guide, "Input format of a
/// Lambda function for proxy integration" and "Output format of a Lambda function for proxy integration").
/// </summary>
internal sealed class ApiGatewayProxy
{
    /// <summary>The JSON of every body the read function answers: the local stack's options (camelCase, no nulls, no HTML escaping).</summary>
    public static readonly JsonSerializerOptions Json = new(BatchPsJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private ApiGatewayProxy(string resource, string method, string? id, List<KeyValuePair<string, string>> query)
    {
        Resource = resource;
        Method = method;
        Id = id;
        Query = query;
    }

    /// <summary>The API's resource path (<c>/triggers/{id}/log</c>), not the request's path.</summary>
    public string Resource { get; }
    /// <summary>The HTTP method.</summary>
    public string Method { get; }
    /// <summary>The <c>{id}</c> path parameter, when the resource has one.</summary>
    public string? Id { get; }
    /// <summary>The query string as name/value pairs, a repeated name once per value (so Core's parsers can refuse it).</summary>
    public List<KeyValuePair<string, string>> Query { get; }

    /// <summary>Reads a proxy event; null when the JSON is not one (then the function was invoked by something else).</summary>
    public static ApiGatewayProxy? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("httpMethod", out var method) || method.ValueKind != JsonValueKind.String)
            return null;
        string? id = root.TryGetProperty("pathParameters", out var path) && path.ValueKind == JsonValueKind.Object
            && path.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var query = new List<KeyValuePair<string, string>>();
        if (root.TryGetProperty("multiValueQueryStringParameters", out var multi) && multi.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in multi.EnumerateObject())
            {
                if (parameter.Value.ValueKind != JsonValueKind.Array) continue;
                foreach (var item in parameter.Value.EnumerateArray())
                    query.Add(new(parameter.Name, item.ValueKind == JsonValueKind.String ? item.GetString()! : ""));
            }
        }
        else if (root.TryGetProperty("queryStringParameters", out var single) && single.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in single.EnumerateObject())
                query.Add(new(parameter.Name, parameter.Value.ValueKind == JsonValueKind.String ? parameter.Value.GetString()! : ""));
        }
        return new ApiGatewayProxy(resource.GetString()!, method.GetString()!, id, query);
    }

    /// <summary>The proxy answer of a body.</summary>
    public static MemoryStream Answer(int statusCode, JsonNode body) => Answer(statusCode, body.ToJsonString(Json));

    /// <summary>The proxy answer of a value serialized as the API does.</summary>
    public static MemoryStream Answer<T>(int statusCode, T body) => Answer(statusCode, JsonSerializer.Serialize(body, Json));

    /// <summary>The proxy answer of an error: <c>{"code", "message"}</c> (and <c>field</c> when there is one), as the local stack answers it.</summary>
    public static MemoryStream Error(ApiError error)
    {
        var body = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
        if (error.Field is not null) body["field"] = error.Field;
        return Answer(error.StatusCode, body);
    }

    private static MemoryStream Answer(int statusCode, string body)
    {
        var answer = new JsonObject
        {
            ["statusCode"] = statusCode,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json; charset=utf-8" },
            ["body"] = body,
        };
        return new MemoryStream(Encoding.UTF8.GetBytes(answer.ToJsonString()));
    }
}
