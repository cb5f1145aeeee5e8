using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Storage;

/// <summary>One entry of the change feed: an inserted trigger and its sequence number.</summary>
internal sealed record FeedEntry(long Sequence, TriggerRecord Record);
