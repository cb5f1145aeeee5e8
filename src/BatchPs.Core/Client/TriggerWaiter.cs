using System.Diagnostics;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Client;

/// <summary>
/// Follows one trigger until it is final or a timeout passes, one poll per <see cref="NextAsync"/> call,
/// so a caller on a single thread (a cmdlet writing progress) can report between polls. The first
/// poll is immediate; later ones wait per <see cref="PollSchedule"/>, never past the timeout.
/// </summary>
public sealed class TriggerWaiter
{
    private readonly BatchTriggerClient _client;
    private readonly PollSchedule _schedule;
    private readonly TimeSpan? _timeout;
    private readonly Stopwatch _clock = new();
    private readonly IProgress<TriggerRetry>? _retries;
    private int _polls;

    /// <summary>Creates a waiter; <paramref name="timeout"/> null waits for ever; <paramref name="retries"/> hears of each poll's retries.</summary>
    public TriggerWaiter(BatchTriggerClient client, string triggerId, TimeSpan? timeout, PollSchedule? schedule = null, IProgress<TriggerRetry>? retries = null)
    {
        _retries = retries;
        _client = client ?? throw new ArgumentNullException(nameof(client));
        TriggerId = string.IsNullOrEmpty(triggerId) ? throw new ArgumentException("The trigger id is empty.", nameof(triggerId)) : triggerId;
        _timeout = timeout;
        _schedule = schedule ?? PollSchedule.Default;
    }

    /// <summary>The trigger followed.</summary>
    public string TriggerId { get; }

    /// <summary>The record of the latest poll; null before the first.</summary>
    public TriggerRecord? Last { get; private set; }

    /// <summary>Time since the first poll began.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>True once the timeout passed without a final status.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>The time left before the timeout; null without a timeout.</summary>
    public TimeSpan? Remaining => _timeout is { } t ? (t > _clock.Elapsed ? t - _clock.Elapsed : TimeSpan.Zero) : null;

    /// <summary>
    /// Waits the next polling delay (cut short at the timeout, so the last poll is at the deadline) and
    /// reads the trigger. Returns the record, or null when the timeout had passed before this call
    /// (then <see cref="TimedOut"/> is true). Call it while the last record is not final.
    /// </summary>
    public async Task<TriggerRecord?> NextAsync(CancellationToken cancellationToken)
    {
        if (Last is { IsFinal: true }) return Last;
        if (_polls == 0)
        {
            _clock.Start();
        }
        else
        {
            var delay = _schedule.DelayAfter(_polls);
            if (Remaining is { } left)
            {
                if (left <= TimeSpan.Zero) return TimeOut();
                if (delay > left) delay = left;
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        _polls++;
        Last = await _client.GetAsync(TriggerId, _retries, cancellationToken).ConfigureAwait(false);
        return Last;
    }

    private TriggerRecord? TimeOut()
    {
        TimedOut = true;
        return null;
    }
}
