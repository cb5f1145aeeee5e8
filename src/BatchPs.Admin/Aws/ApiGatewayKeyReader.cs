using System.Net;
using System.Text;
using System.Text.Json;
using BatchPs.Aws;

namespace BatchPs.Admin.Aws;

/// <summary>
/// Reads an API key's value from API Gateway (REST API <c>GET /apikeys/{id}?includeValue=true</c>,
/// service <c>apigateway</c>), so the admin can hand it to on-prem callers without ever printing it.
/// </summary>
internal sealed class ApiGatewayKeyReader : AwsClientBase
{
    private const string Service = "apigateway";
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    public ApiGatewayKeyReader(AwsSession session, RetrySettings retry) : base(session.ClientSettings(retry), Service, Service, null) { }

    public Task<string> GetValueAsync(string apiKeyId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(Service, "GetApiKey", Endpoint, async () =>
        {
            var response = await SendAsync(HttpMethod.Get, $"apikeys/{Uri.EscapeDataString(apiKeyId)}?includeValue=true", null, NoHeaders, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(response.Body);
            return document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw new AwsServiceException("InvalidResponse", $"GetApiKey for key {apiKeyId} answered without the key's value.", HttpStatusCode.OK, response.RequestId);
        }, cancellationToken);

    /// <summary>REST-JSON errors: the code in <c>x-amzn-ErrorType</c> (or <c>__type</c>), the text in <c>message</c>.</summary>
    protected override AwsServiceException ParseError(AwsHttpResponse response)
    {
        var code = response.ErrorType?.Split(':')[0];
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("message", out var m) || document.RootElement.TryGetProperty("Message", out m)) message = m.GetString();
                if (code is null && document.RootElement.TryGetProperty("__type", out var t)) code = t.GetString()?.Split('#').Last();
            }
        }
        catch (JsonException)
        {
            // Not JSON: reported by status below.
        }
        var text = Encoding.UTF8.GetString(response.Body);
        return new AwsServiceException(code ?? "Http" + (int)response.StatusCode, message ?? $"HTTP {(int)response.StatusCode}: {(text.Length > 200 ? text.Substring(0, 200) : text)}", response.StatusCode, response.RequestId);
    }
}
