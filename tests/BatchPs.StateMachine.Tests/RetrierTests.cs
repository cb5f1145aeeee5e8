using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Model;

namespace BatchPs.StateMachine.Tests;

/// <summary>Retry delays and error matching (states-language.net "Retrying after error"; developer guide "Error names").</summary>
public sealed class RetrierTests
{
    [Fact]
    public void Delay_is_interval_times_backoff_to_the_attempt()
    {
        var retrier = new Retrier { ErrorEquals = ["E"], IntervalSeconds = 3, BackoffRate = 2 };
        Assert.Equal([3, 6, 12], new[] { 1, 2, 3 }.Select(a => retrier.Delay(a).TotalSeconds));
    }

    [Fact]
    public void Delay_is_capped_by_MaxDelaySeconds()
    {
        var retrier = new Retrier { ErrorEquals = ["E"], IntervalSeconds = 1, BackoffRate = 10, MaxDelaySeconds = 50 };
        Assert.Equal([1, 10, 50, 50], new[] { 1, 2, 3, 4 }.Select(a => retrier.Delay(a).TotalSeconds));
    }

    [Theory]
    [InlineData("States.ALL", "Custom", true)]
    [InlineData("States.ALL", "States.Timeout", true)]
    [InlineData("States.ALL", "States.Runtime", false)]
    [InlineData("States.ALL", "States.DataLimitExceeded", false)]
    [InlineData("States.TaskFailed", "Custom", true)]
    [InlineData("States.TaskFailed", "States.Timeout", false)]
    [InlineData("States.Runtime", "States.Runtime", false)]
    [InlineData("Custom", "Custom", true)]
    [InlineData("Custom", "custom", false)]
    public void ErrorEquals_matching(string pattern, string error, bool matches) =>
        Assert.Equal(matches, StatesErrors.Matches(pattern, error));
}
