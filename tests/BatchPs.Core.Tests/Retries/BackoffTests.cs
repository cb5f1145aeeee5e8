using BatchPs.Core.Retries;

namespace BatchPs.Core.Tests.Retries;

public sealed class BackoffTests
{
    [Fact]
    public void Ceiling_doubles_from_the_base_delay_up_to_the_max_delay()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Ceiling(1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Ceiling(2));
        Assert.Equal(TimeSpan.FromMilliseconds(800), backoff.Ceiling(4));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Ceiling(5));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Ceiling(1000));
    }

    [Fact]
    public void Full_jitter_delays_are_spread_between_zero_and_the_ceiling()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(3)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(400)));
        Assert.True(delays.Distinct().Count() > 10, "the delays are not jittered");
        Assert.Contains(delays, d => d < TimeSpan.FromMilliseconds(200)); // full jitter, not "equal jitter" (half the ceiling and up)
    }

    [Fact]
    public void Without_jitter_the_delay_is_the_ceiling()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), fullJitter: false);
        Assert.Equal(new[] { 200.0, 400, 800, 1600, 3200, 6400, 10000, 10000 },
            Enumerable.Range(1, 8).Select(r => backoff.Delay(r).TotalMilliseconds));
    }

    [Fact]
    public void Retry_After_takes_precedence_and_a_negative_one_counts_as_zero()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromSeconds(7), backoff.Delay(1, TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.Zero, backoff.Delay(1, TimeSpan.FromSeconds(-3)));
    }

    [Fact]
    public void Retry_numbers_start_at_one_and_delays_cannot_be_negative()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => backoff.Delay(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void A_max_delay_shorter_than_the_base_delay_caps_every_ceiling() =>
        Assert.Equal(TimeSpan.FromSeconds(1), new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)).Ceiling(1));
}
