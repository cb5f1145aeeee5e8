using BatchPs.Core.Triggers;

namespace BatchPs.Core.Tests;

public class TriggerStatusOrderTests
{
    [Theory]
    [InlineData(TriggerStatus.RECEIVED, TriggerStatus.STARTED)]
    [InlineData(TriggerStatus.STARTED, TriggerStatus.RUNNING)]
    [InlineData(TriggerStatus.RUNNABLE, TriggerStatus.RUNNABLE)]
    [InlineData(TriggerStatus.RUNNING, TriggerStatus.FAILED)]
    [InlineData(TriggerStatus.RECEIVED, TriggerStatus.REJECTED)]
    public void Forward_moves_are_applied(TriggerStatus current, TriggerStatus next) =>
        Assert.True(TriggerStatusOrder.CanApply(current, next));

    [Theory]
    [InlineData(TriggerStatus.RUNNING, TriggerStatus.SUBMITTED)]
    [InlineData(TriggerStatus.SUBMITTED, TriggerStatus.STARTED)]
    [InlineData(TriggerStatus.SUCCEEDED, TriggerStatus.FAILED)]
    [InlineData(TriggerStatus.FAILED, TriggerStatus.FAILED)]
    [InlineData(TriggerStatus.REJECTED, TriggerStatus.RUNNING)]
    public void Backward_moves_and_writes_to_final_records_are_refused(TriggerStatus current, TriggerStatus next) =>
        Assert.False(TriggerStatusOrder.CanApply(current, next));

    [Fact]
    public void Parse_accepts_only_status_names()
    {
        Assert.Equal(TriggerStatus.RUNNING, TriggerStatusOrder.Parse("RUNNING"));
        Assert.Null(TriggerStatusOrder.Parse("running"));
        Assert.Null(TriggerStatusOrder.Parse("6"));
        Assert.Null(TriggerStatusOrder.Parse(null));
    }
}
