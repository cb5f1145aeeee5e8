using BatchPs.Core.Triggers;

namespace BatchPs.Core.Client;

/// <summary>What a send answered: the trigger, and whether it is the one an earlier send with the same idempotency key made.</summary>
public sealed class TriggerSendResult
{
    /// <summary>Creates the result.</summary>
    public TriggerSendResult(TriggerRecord record, bool replayed)
    {
        Record = record;
        Replayed = replayed;
    }

    /// <summary>The trigger record.</summary>
    public TriggerRecord Record { get; }

    /// <summary>True when the server answered <c>BatchPs-Idempotent-Replay: true</c>: no new trigger was made.</summary>
    public bool Replayed { get; }
}
