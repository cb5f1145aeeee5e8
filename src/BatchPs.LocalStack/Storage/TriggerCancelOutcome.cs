namespace BatchPs.LocalStack.Storage;

/// <summary>What <see cref="TriggerStore.CancelAsync"/> did.</summary>
internal enum TriggerCancelOutcome
{
    /// <summary>The trigger was not final and is now CANCELLED.</summary>
    Cancelled,
    /// <summary>The trigger was CANCELLED already; unchanged.</summary>
    AlreadyCancelled,
    /// <summary>The trigger ended otherwise (SUCCEEDED, FAILED, REJECTED); unchanged.</summary>
    AlreadyFinal,
    /// <summary>No trigger has that id.</summary>
    NotFound,
}
