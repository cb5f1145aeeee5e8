namespace BatchPs.LocalStack;

/// <summary>Exponential backoff for the background loops that retry after a failure: doubles from a first delay up to a cap.</summary>
internal sealed class RetryDelay
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    /// <summary>The delay the next <see cref="WaitAsync"/> waits.</summary>
    public TimeSpan Next { get; private set; } = First;

    /// <summary>Waits <see cref="Next"/>, then doubles it (up to the cap). Throws when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Next, cancellationToken).ConfigureAwait(false);
        Next = TimeSpan.FromTicks(Math.Min(Next.Ticks * 2, Cap.Ticks));
    }

    /// <summary>Back to the first delay, after a success.</summary>
    public void Reset() => Next = First;
}
