using System.Net;
using System.Text.Json;

namespace BatchPs.Admin.Aws;

/// <summary>
/// Reads an API key's value from API Gateway (REST API <c>GET /apikeys/{id}?includeValue=true</c>,
/// service <c>apigateway</c>), so the admin can hand it to on-prem callers without ever printing it.
/// </summary>
internal sealed class ApiGatewayKeyReader : IDisposable
{
    private readonly AwsSignedTransport _transport;

    public ApiGatewayKeyReader(AwsSession session, RetrySettings retry) => _transport = new AwsSignedTransport(session, "apigateway", retry);

    public async Task<string> GetValueAsync(string apiKeyId, CancellationToken cancellationToken)
    {
        var text = await _transport.SendAsync(HttpMethod.Get, $"apikeys/{Uri.EscapeDataString(apiKeyId)}?includeValue=true", null, null, "GetApiKey",
            (status, headers, body) => ParseError(apiKeyId, status, headers, body), cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new AwsRequestException("apigateway", "InvalidResponse", $"GetApiKey for key {apiKeyId} answered without the key's value.", HttpStatusCode.OK, null);
    }

    private static AwsRequestException ParseError(string apiKeyId, HttpStatusCode status, System.Net.Http.Headers.HttpResponseHeaders headers, string body)
    {
        var code = headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("message", out var m) || document.RootElement.TryGetProperty("Message", out m)) message = m.GetString();
                if (code is null && document.RootElement.TryGetProperty("__type", out var t)) code = t.GetString()?.Split('#').Last();
            }
        }
        catch (JsonException)
        {
            // Not JSON: reported below.
        }
        if (code is null) return AwsQueryClient.NonAwsError("apigateway", "GetApiKey", status, body);
        if (code == "NotFoundException") message = $"API key {apiKeyId} was not found: {message} Is the stack deployed with API key auth?";
        return new AwsRequestException("apigateway", code, message ?? "", status, headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null);
    }

    public void Dispose() => _transport.Dispose();
}
