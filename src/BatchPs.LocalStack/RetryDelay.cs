using BatchPs.Core.Retries;

namespace BatchPs.LocalStack;

/// <summary>The backoff of the background loops that retry after a failure: <see cref="Backoff"/> without jitter,
/// doubling from 200 ms up to 10 s, counted from the last success.</summary>
internal sealed class RetryDelay
{
    private static readonly Backoff Backoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), fullJitter: false);
    private int _retry = 1;

    /// <summary>The delay the next <see cref="WaitAsync"/> waits.</summary>
    public TimeSpan Next => Backoff.Delay(_retry);

    /// <summary>Waits <see cref="Next"/>, then doubles it (up to the cap). Throws when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Next, cancellationToken).ConfigureAwait(false);
        _retry++;
    }

    /// <summary>Back to the first delay, after a success.</summary>
    public void Reset() => _retry = 1;
}
