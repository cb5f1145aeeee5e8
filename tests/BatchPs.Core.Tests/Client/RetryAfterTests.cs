using BatchPs.Core.Client;

namespace BatchPs.Core.Tests.Client;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Delta_seconds_are_read() => Assert.Equal(TimeSpan.FromSeconds(120), RetryAfter.Parse(" 120 ", Now));

    [Fact]
    public void An_http_date_is_measured_from_now() =>
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse("Tue, 24 Nov 2026 07:00:30 GMT", Now));

    [Fact]
    public void A_date_in_the_past_means_no_wait() =>
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse("Tue, 24 Nov 2026 06:59:00 GMT", Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Absent_or_unreadable_values_give_null(string? value) => Assert.Null(RetryAfter.Parse(value, Now));
}
