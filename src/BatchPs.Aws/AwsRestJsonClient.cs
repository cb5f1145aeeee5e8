using System.Text;
using System.Text.Json;

namespace BatchPs.Aws;

/// <summary>
/// The AWS REST-JSON protocol (API Gateway's management API and others): the operation is the method and path,
/// bodies are JSON; an error's code is in the <c>x-amzn-ErrorType</c> header (or the body's <c>__type</c>) and its
/// text in <c>message</c>.
/// </summary>
public abstract class AwsRestJsonClient : AwsClientBase
{
    /// <summary>Creates the client.</summary>
    /// <param name="settings">Region, credentials, endpoint override and retry policy.</param>
    /// <param name="signingService">SigV4 service name (also the endpoint prefix, e.g. <c>apigateway</c>).</param>
    /// <param name="handler">HTTP handler; null for the default.</param>
    protected AwsRestJsonClient(AwsClientSettings settings, string signingService, HttpMessageHandler? handler)
        : base(settings, signingService, signingService, handler)
    {
    }

    /// <inheritdoc />
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
                if (code is null && document.RootElement.TryGetProperty("__type", out var t) && t.GetString() is { } type) code = AwsJsonClient.ErrorCode(type);
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
