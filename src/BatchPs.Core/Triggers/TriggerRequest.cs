namespace BatchPs.Core.Triggers;

/// <summary>The body of <c>POST /triggers</c>, once it passed <see cref="TriggerRequestParser"/>.</summary>
public sealed class TriggerRequest
{
    /// <summary>The catalog job to run (mandatory).</summary>
    public string JobName { get; set; } = "";
    /// <summary>Optional label of the caller.</summary>
    public string? Client { get; set; }
    /// <summary>Job parameters: names and string values.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Optional SubmitJob overrides, checked against the catalog entry.</summary>
    public TriggerOverrides? Overrides { get; set; }
    /// <summary>Optional idempotency key; the server makes one when absent.</summary>
    public string? IdempotencyKey { get; set; }
}
