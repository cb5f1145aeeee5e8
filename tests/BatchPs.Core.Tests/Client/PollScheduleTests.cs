using BatchPs.Core.Client;

namespace BatchPs.Core.Tests.Client;

public sealed class PollScheduleTests
{
    [Fact]
    public void Polls_start_fast_and_double_up_to_the_cap()
    {
        var schedule = new PollSchedule { Initial = TimeSpan.FromMilliseconds(250), Max = TimeSpan.FromSeconds(5) };
        var delays = Enumerable.Range(1, 8).Select(schedule.DelayAfter).Select(d => d.TotalMilliseconds).ToArray();
        Assert.Equal(new double[] { 250, 500, 1000, 2000, 4000, 5000, 5000, 5000 }, delays);
        Assert.Equal(TimeSpan.FromSeconds(5), schedule.DelayAfter(10_000));
    }
}
