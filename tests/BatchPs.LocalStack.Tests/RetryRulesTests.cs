using BatchPs.Core.Catalog;
using BatchPs.LocalStack.Batch;

namespace BatchPs.LocalStack.Tests;

public sealed class RetryRulesTests
{
    [Fact]
    public void Without_a_strategy_nothing_is_retried() =>
        Assert.False(RetryRules.ShouldRetry(null, 1, 1, "failed", null));

    [Fact]
    public void Attempts_left_and_no_matching_rule_means_retry()
    {
        var strategy = new RetryStrategy { Attempts = 3, EvaluateOnExit = new() { new EvaluateOnExit { OnExitCode = "9", Action = "EXIT" } } };
        Assert.True(RetryRules.ShouldRetry(strategy, 1, 1, "x", null));
        Assert.True(RetryRules.ShouldRetry(strategy, 2, 1, "x", null));
        Assert.False(RetryRules.ShouldRetry(strategy, 3, 1, "x", null));
    }

    [Fact]
    public void The_first_matching_rule_decides_and_patterns_may_end_with_a_star()
    {
        var strategy = new RetryStrategy
        {
            Attempts = 5,
            EvaluateOnExit = new()
            {
                new EvaluateOnExit { OnStatusReason = "Job attempt duration exceeded timeout*", Action = "EXIT" },
                new EvaluateOnExit { OnExitCode = "1*", Action = "RETRY" },
                new EvaluateOnExit { OnExitCode = "*", Action = "exit" },
            },
        };
        Assert.False(RetryRules.ShouldRetry(strategy, 1, 137, "Job attempt duration exceeded timeout (5 s)", null));
        Assert.True(RetryRules.ShouldRetry(strategy, 1, 12, "exited", null));
        Assert.False(RetryRules.ShouldRetry(strategy, 1, 2, "exited", null));
        Assert.True(RetryRules.ShouldRetry(strategy, 1, null, "vanished", null));
    }
}
