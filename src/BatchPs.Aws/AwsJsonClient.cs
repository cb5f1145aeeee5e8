using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchPs.Aws;

/// <summary>
/// The AWS JSON protocol (1.0 and 1.1): a POST to <c>/</c> with <c>X-Amz-Target: {prefix}.{operation}</c>
/// and a JSON body; errors carry <c>__type</c> (possibly <c>namespace#Code</c>) and <c>message</c>.
/// </summary>
public abstract class AwsJsonClient : AwsClientBase
{
    private readonly string _targetPrefix;
    private readonly string _contentType;

    /// <summary>Creates the client.</summary>
    /// <param name="settings">Region, credentials, endpoint override and retry policy.</param>
    /// <param name="signingService">SigV4 service name.</param>
    /// <param name="endpointPrefix">Host prefix of the regional endpoint.</param>
    /// <param name="targetPrefix">The <c>X-Amz-Target</c> prefix (e.g. <c>AWSStepFunctions</c>).</param>
    /// <param name="jsonVersion"><c>1.0</c> or <c>1.1</c>.</param>
    /// <param name="handler">HTTP handler; null for the default.</param>
    protected AwsJsonClient(AwsClientSettings settings, string signingService, string endpointPrefix, string targetPrefix, string jsonVersion, HttpMessageHandler? handler)
        : base(settings, signingService, endpointPrefix, handler)
    {
        _targetPrefix = targetPrefix;
        _contentType = "application/x-amz-json-" + jsonVersion;
    }

    /// <summary>Calls <paramref name="operation"/> with <paramref name="request"/>; returns the answer's JSON object.</summary>
    protected async Task<JsonObject> InvokeAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = _contentType,
            ["X-Amz-Target"] = _targetPrefix + "." + operation,
        };
        var response = await SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), headers, cancellationToken).ConfigureAwait(false);
        return JsonAnswer(operation, response);
    }

    /// <inheritdoc />
    protected override AwsServiceException ParseError(AwsHttpResponse response)
    {
        string code = "Http" + (int)response.StatusCode;
        string message = "The service answered HTTP " + (int)response.StatusCode + " without an error body.";
        try
        {
            if (response.Body.Length > 0 && JsonNode.Parse(response.Body) is JsonObject body)
            {
                if (body["__type"]?.GetValue<string>() is { Length: > 0 } type)
                    code = ErrorCode(type);
                var text = body["message"] ?? body["Message"];
                if (text is not null) message = text.GetValue<string>();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            message = "The service answered HTTP " + (int)response.StatusCode + " with a body that is not JSON.";
        }
        return CreateException(code, message, response);
    }

    /// <summary>Creates the exception for an error code; subclasses map codes to specific exception types.</summary>
    protected virtual AwsServiceException CreateException(string code, string message, AwsHttpResponse response) =>
        new(code, message, response.StatusCode, response.RequestId);

    /// <summary><c>com.amazonaws.x#Code:http://...</c> -> <c>Code</c>.</summary>
    internal static string ErrorCode(string type)
    {
        var hash = type.LastIndexOf('#');
        if (hash >= 0) type = type.Substring(hash + 1);
        var colon = type.IndexOf(':');
        return colon >= 0 ? type.Substring(0, colon) : type;
    }
}
