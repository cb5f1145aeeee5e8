namespace BatchPs.Lambda.Tests;

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 11, 24, 7, 13, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
