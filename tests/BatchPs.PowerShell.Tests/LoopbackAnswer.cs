using System.Text.Json;

namespace BatchPs.PowerShell.Tests;

/// <summary>A scripted answer.</summary>
public sealed record LoopbackAnswer(int Status, string Body, params (string Name, string Value)[] Headers)
{
    /// <summary>A trigger record as the API returns it.</summary>
    public static LoopbackAnswer Record(int status, string triggerId, string triggerStatus, string? reason = null, int? exitCode = null)
    {
        var record = new Dictionary<string, object?>
        {
            ["triggerId"] = triggerId,
            ["jobName"] = "hello",
            ["client"] = "test",
            ["parameters"] = new Dictionary<string, string>(),
            ["idempotencyKey"] = "k" + triggerId,
            ["status"] = triggerStatus,
            ["createdAt"] = "2026-11-24T07:00:00+00:00",
            ["updatedAt"] = "2026-11-24T07:00:01+00:00",
            ["statusChangedAt"] = "2026-11-24T07:00:01+00:00",
            ["version"] = 1,
        };
        if (reason is not null) record["statusReason"] = reason;
        if (exitCode is not null) record["exitCode"] = exitCode;
        return new LoopbackAnswer(status, JsonSerializer.Serialize(record));
    }

    /// <summary>An API error.</summary>
    public static LoopbackAnswer Error(int status, string code, string message, params (string Name, string Value)[] headers) =>
        new(status, JsonSerializer.Serialize(new { code, message }), headers);
}
