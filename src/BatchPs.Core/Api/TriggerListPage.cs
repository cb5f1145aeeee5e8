using BatchPs.Core.Triggers;

namespace BatchPs.Core.Api;

/// <summary>
/// The body of <c>GET /triggers</c>: <c>{"triggers": [record...], "nextToken": "..."|null}</c>. A page may hold fewer
/// than the limit (the cloud filters after its read limit) yet a non-null <see cref="NextToken"/> means there may be more.
/// </summary>
public sealed class TriggerListPage
{
    /// <summary>The triggers, newest first.</summary>
    public List<TriggerRecord> Triggers { get; set; } = new();

    /// <summary>Pass it back (with the same filters) for the next page; null when there are no more.</summary>
    public string? NextToken { get; set; }
}
