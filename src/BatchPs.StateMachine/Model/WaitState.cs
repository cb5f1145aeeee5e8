using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>A Wait state: exactly one of Seconds, Timestamp, SecondsPath, TimestampPath.</summary>
public sealed class WaitState : State
{
    /// <inheritdoc />
    public override string Type => "Wait";

    /// <summary>Seconds to wait.</summary>
    public long? Seconds { get; init; }

    /// <summary>The time to wait until.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    internal PathReference? SecondsPath { get; init; }

    internal PathReference? TimestampPath { get; init; }
}
