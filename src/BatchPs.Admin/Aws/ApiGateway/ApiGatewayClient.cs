using System.Net;
using System.Text.Json;
using BatchPs.Admin.Stacks;
using BatchPs.Aws;

namespace BatchPs.Admin.Aws.ApiGateway;

/// <summary>
/// The two API Gateway calls the admin engine makes (REST API, service <c>apigateway</c>): reading an API
/// key's value (<c>GET /apikeys/{id}?includeValue=true</c>), so the admin can hand it to on-prem callers
/// without ever printing it; and deploying a stage again (<c>POST /restapis/{id}/deployments</c>), since a
/// stage serves a snapshot and a stack update of methods or mapping templates shows only after that.
/// </summary>
internal sealed class ApiGatewayClient : AwsRestJsonClient, IApiStageDeployer
{
    private const string Service = "apigateway";
    // The SDKs ask for application/json; without Accept the management API may answer in HAL (application/hal+json).
    private static readonly IReadOnlyDictionary<string, string> AcceptJson = new Dictionary<string, string> { ["Accept"] = "application/json" };

    public ApiGatewayClient(AwsSession session, RetrySettings retry) : base(session.ClientSettings(retry), Service, null) { }

    public Task<string> GetValueAsync(string apiKeyId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(Service, "GetApiKey", Endpoint, async () =>
        {
            var response = await SendAsync(HttpMethod.Get, $"apikeys/{Uri.EscapeDataString(apiKeyId)}?includeValue=true", null, AcceptJson, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(response.Body);
            return document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw new AwsServiceException("InvalidResponse", $"GetApiKey for key {apiKeyId} answered without the key's value.", HttpStatusCode.OK, response.RequestId);
        }, cancellationToken);

    /// <summary>Creates a deployment of <paramref name="restApiId"/> for <paramref name="stageName"/>; returns the deployment id.</summary>
    public Task<string> CreateDeploymentAsync(string restApiId, string stageName, string description, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(Service, "CreateDeployment", Endpoint, async () =>
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["stageName"] = stageName, ["description"] = description });
            var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Accept"] = "application/json" };
            var response = await SendAsync(HttpMethod.Post, $"restapis/{Uri.EscapeDataString(restApiId)}/deployments", body, headers, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(response.Body);
            return document.RootElement.TryGetProperty("id", out var id) ? id.GetString() ?? "" : "";
        }, cancellationToken);
}
