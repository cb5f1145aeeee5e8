using System.Diagnostics;

namespace BatchPs.StateMachine.Tests;

/// <summary>
/// A clock that runs <c>factor</c> times faster than real time: a 60-second Wait takes 0.6 s at 100x. Timers keep
/// their real order, so timeouts and waits interleave as they would in production, only sooner. No virtual-time
/// scheduler to deadlock, and nothing to advance by hand.
/// </summary>
internal sealed class ScaledTimeProvider : TimeProvider
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
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / _factor;
}
