using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Storage;

/// <summary>The outcome of storing a trigger: the stored record, its stored JSON document (what the API returns), and whether its idempotency key existed already.</summary>
internal sealed record TriggerInsert(TriggerRecord Record, string Json, bool Replayed);
