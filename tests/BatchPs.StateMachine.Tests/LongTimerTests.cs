using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Runtime;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>
/// Waits and timeouts longer than .NET timers take (2^32-2 ms, about 49.7 days; Task.Delay refuses more), which
/// a Standard workflow may have (a Wait up to a year, TimeoutSeconds up to 99999999), on a clock 10^8 times fast.
/// </summary>
public sealed class LongTimerTests
{
    private static InterpreterOptions FastClock() => new() { TimeProvider = new ScaledTimeProvider(factor: 1e8) };

    [Fact]
    public async Task Wait_of_sixty_days_completes()
    {
        var result = await Asl.RunAsync("""{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5184000,"End":true}}}""", options: FastClock());

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
    }

    [Fact]
    public async Task Execution_and_task_timeouts_of_99999999_seconds_are_armed()
    {
        var result = await Asl.RunAsync("""
            {"TimeoutSeconds": 99999999, "StartAt": "T", "States": {
              "T": {"Type": "Task", "Resource": "arn:batchps:test:echo", "TimeoutSeconds": 99999999, "Parameters": {"ok": true}, "End": true}}}
            """, options: FastClock());

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Asl.Equal("""{"ok":true}""", result.Output);
    }

    [Fact]
    public async Task Execution_timeout_beyond_fifty_days_still_fires()
    {
        var result = await Asl.RunAsync("""
            {"TimeoutSeconds": 5184000, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 6000000, "End": true}}}
            """, options: FastClock());

        Assert.Equal(ExecutionStatus.TIMED_OUT, result.Status);
        Assert.Equal(StatesErrors.Timeout, result.Error);
    }
}
