namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// Delays and timeouts of any length on a <see cref="TimeProvider"/>. .NET timers take at most 2^32-2 ms (about
/// 49.7 days) and Task.Delay refuses more, while a Standard workflow may wait up to a year (a Wait state, a
/// retry interval, TimeoutSeconds up to 99999999): these re-arm in steps of at most 2^31-1 ms until the due time.
/// </summary>
internal static class LongTimers
{
    private static readonly TimeSpan MaxStep = TimeSpan.FromMilliseconds(int.MaxValue);

    private static TimeSpan Step(TimeSpan left) => left < MaxStep ? left : MaxStep;

    /// <summary>Waits <paramref name="delay"/> on <paramref name="time"/>.</summary>
    public static async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var due = time.GetUtcNow() + delay;
        while (true)
        {
            var left = due - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }
            await Task.Delay(Step(left), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A token cancelled once <paramref name="delay"/> has passed on <paramref name="time"/> (never for <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</summary>
    public static Timeout After(TimeSpan delay, TimeProvider time) => new(delay, time);

    /// <summary>A cancellation after a delay of any length; dispose it to stop the timer.</summary>
    public sealed class Timeout : IDisposable
    {
        private readonly CancellationTokenSource _source = new();
        private readonly TimeProvider _time;
        private readonly DateTimeOffset _due;
        private readonly ITimer _timer;
        private readonly object _lock = new();
        private bool _disposed;

        internal Timeout(TimeSpan delay, TimeProvider time)
        {
            _time = time;
            _due = time.GetUtcNow() + delay;
            _timer = time.CreateTimer(_ => Fire(), null, System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
            if (delay != System.Threading.Timeout.InfiniteTimeSpan) // infinite: never cancelled
            {
                _timer.Change(delay > TimeSpan.Zero ? Step(delay) : TimeSpan.Zero, System.Threading.Timeout.InfiniteTimeSpan);
            }
        }

        public CancellationToken Token => _source.Token;

        public bool IsCancellationRequested => _source.IsCancellationRequested;

        private void Fire()
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }
                var left = _due - _time.GetUtcNow();
                if (left > TimeSpan.Zero)
                {
                    _timer.Change(Step(left), System.Threading.Timeout.InfiniteTimeSpan);
                    return;
                }
                _source.Cancel();
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
            }
            _timer.Dispose();
            _source.Dispose();
        }
    }
}
