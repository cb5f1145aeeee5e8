using System.Text.Json;

namespace BatchPs.Core.Tests.Client;

/// <summary>A request as the handler saw it.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, string ApiKey, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
