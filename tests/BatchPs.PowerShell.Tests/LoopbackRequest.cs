using System.Text.Json;

namespace BatchPs.PowerShell.Tests;

/// <summary>A request as received.</summary>
public sealed record LoopbackRequest(string Method, string Path, string? ApiKey, string Body, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
