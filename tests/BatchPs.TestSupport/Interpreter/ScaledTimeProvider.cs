using System.Diagnostics;

namespace BatchPs.TestSupport.Interpreter;

/// <summary>
/// A clock that runs <c>factor</c> times faster than real time: a 60-second Wait takes 0.6 s at 100x. Timers keep
/// their real order, so timeouts and waits interleave as they would in production, only sooner. No virtual-time
/// scheduler to deadlock, and nothing to advance by hand. A timer never fires before its due time on this clock
/// (a system timer that fires a little early is re-armed for the rest).
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly DateTimeOffset _epoch;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly double _factor;

    public ScaledTimeProvider(double factor = 100, DateTimeOffset? epoch = null)
    {
        _factor = factor;
        _epoch = epoch ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public override DateTimeOffset GetUtcNow() => _epoch + _elapsed.Elapsed * _factor;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(this, callback, state, dueTime, period);

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / _factor;

    /// <summary>A system timer on the scaled clock that fires only once the scaled clock reached its due time.</summary>
    private sealed class ScaledTimer : ITimer
    {
        private readonly ScaledTimeProvider _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _inner;
        private readonly object _lock = new();
        private DateTimeOffset _due;
        private TimeSpan _period;

        public ScaledTimer(ScaledTimeProvider clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _inner = System.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                _period = period;
                _due = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : _clock.GetUtcNow() + dueTime;
                return _inner.Change(_clock.Scale(dueTime), Timeout.InfiniteTimeSpan);
            }
        }

        private void Fire()
        {
            lock (_lock)
            {
                var left = _due - _clock.GetUtcNow();
                if (left > TimeSpan.Zero)
                {
                    _inner.Change(_clock.Scale(left), Timeout.InfiniteTimeSpan);
                    return;
                }
                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                {
                    _due += _period;
                    _inner.Change(_clock.Scale(_due - _clock.GetUtcNow()), Timeout.InfiniteTimeSpan);
                }
            }
            _callback(_state);
        }

        public void Dispose() => _inner.Dispose();

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
