using BatchPs.Core.Client;

namespace BatchPs.Core.Tests.Client;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(501, false)]
    [InlineData(505, false)]
    [InlineData(507, false)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public void Only_transient_statuses_are_retried(int status, bool retryable) =>
        Assert.Equal(retryable, RetryPolicy.IsRetryableStatus(status));

    [Fact]
    public void Backoff_is_full_jitter_under_an_exponential_ceiling_capped_by_MaxDelay()
    {
        var policy = new RetryPolicy { MaxAttempts = 100, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), MaxTotalTime = TimeSpan.FromHours(1) };
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(policy.NextDelay(1, TimeSpan.Zero, null)!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
            Assert.InRange(policy.NextDelay(3, TimeSpan.Zero, null)!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(400));
            Assert.InRange(policy.NextDelay(20, TimeSpan.Zero, null)!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
        var delays = Enumerable.Range(0, 50).Select(_ => policy.NextDelay(5, TimeSpan.Zero, null)!.Value).Distinct().Count();
        Assert.True(delays > 1, "the delays are not jittered");
    }

    [Fact]
    public void Retry_After_takes_precedence_over_the_backoff()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1) };
        Assert.Equal(TimeSpan.FromSeconds(7), policy.NextDelay(1, TimeSpan.Zero, TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public void No_retry_after_the_last_attempt()
    {
        var policy = new RetryPolicy { MaxAttempts = 3 };
        Assert.NotNull(policy.NextDelay(2, TimeSpan.Zero, null));
        Assert.Null(policy.NextDelay(3, TimeSpan.Zero, null));
        Assert.Null(RetryPolicy.None.NextDelay(1, TimeSpan.Zero, null));
    }

    [Fact]
    public void No_retry_whose_delay_would_end_past_the_total_time_cap()
    {
        var policy = new RetryPolicy { MaxTotalTime = TimeSpan.FromSeconds(10) };
        Assert.Null(policy.NextDelay(1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6)));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.NextDelay(1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(4)));
    }
}
