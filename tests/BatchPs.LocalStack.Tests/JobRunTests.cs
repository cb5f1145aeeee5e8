using BatchPs.LocalStack.Batch;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class JobRunTests : IAsyncLifetime
{
    private readonly TestFolder _work = new();
    private TestStack _stack = null!;

    public async Task InitializeAsync()
    {
        var jobs = string.Join(",\n",
            Jobs.Shell("greet", "echo \"hello $1\"; echo \"to stderr\" >&2", "\"Ref::name\"", """{"name": "world"}"""),
            Jobs.Shell("fail", "echo about to fail; exit 3"),
            Jobs.Shell("slow", "sleep 60 & echo $! > \"$1\"; sleep 60", "\"Ref::pidfile\"", """{"pidfile": null}""", """, "timeoutSeconds": 1"""),
            Jobs.Shell("flaky", "n=$(cat \"$1\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$1\"; [ $n -ge 2 ] || exit 7", "\"Ref::counter\"", """{"counter": null}""", """, "retryStrategy": {"attempts": 3}"""),
            Jobs.Shell("stubborn", "n=$(cat \"$1\" 2>/dev/null || echo 0); echo $((n+1)) > \"$1\"; exit 4", "\"Ref::counter\"", """{"counter": null}""",
                """, "retryStrategy": {"attempts": 3, "evaluateOnExit": [{"onExitCode": "4", "action": "EXIT"}]}"""),
            Jobs.Shell("refs", "printf '%s|%s|%s' \"$1\" \"$2\" \"$3\" > \"$4\"", "\"Ref::a\", \"Ref::b\", \"Ref::missing\", \"Ref::out\"", """{"a": "alpha", "b": "beta default", "out": null}"""),
            Jobs.Shell("env", "printf '%s|%s|%s|%s|%s|%s' \"$BATCHPS_TRIGGER_ID\" \"$AWS_BATCH_JOB_ID\" \"$AWS_BATCH_JOB_ATTEMPT\" \"${BATCHPS_API_KEY:-none}\" \"$CUSTOM\" \"$(pwd)\" > \"$1\"", "\"Ref::out\"", """{"out": null}""",
                """, "environment": {"CUSTOM": "custom value"}, "workingDirectory": "jobs-folder" """));
        _stack = await TestStack.StartAsync(jobs);
        Directory.CreateDirectory(JobsFolder);
    }

    private string JobsFolder => Path.Combine(Path.GetDirectoryName(_stack.CatalogPath)!, "jobs-folder");

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_job_that_exits_0_moves_through_the_statuses_to_SUCCEEDED_with_its_log()
    {
        var sent = await _stack.SendAsync("greet", new { name = "Ada" });
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        Assert.Equal(0, final.ExitCode);
        Assert.Equal(1, final.Attempts);
        Assert.NotNull(final.ExecutionId);
        Assert.NotNull(final.BatchJobId);
        Assert.NotNull(final.StartedAt);
        Assert.NotNull(final.StoppedAt);
        Assert.True(final.StoppedAt >= final.StartedAt);
        Assert.True(final.Version >= 5, $"expected RECEIVED, STARTED, SUBMITTED, ..., SUCCEEDED writes; version is {final.Version}");
        var log = File.ReadAllText(final.LogLocation!);
        Assert.Contains("hello Ada", log);
        Assert.Contains("to stderr", log);
    }

    [Fact]
    public async Task A_job_that_exits_non_zero_is_FAILED_with_exit_code_reason_and_log()
    {
        var sent = await _stack.SendAsync("fail");
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.FAILED, final.Status);
        Assert.Equal(3, final.ExitCode);
        Assert.Contains("exited with code 3", final.StatusReason);
        Assert.Contains("about to fail", File.ReadAllText(final.LogLocation!));
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree_and_fails_with_a_reason()
    {
        var pidFile = _work.File("slow.pid");
        var sent = await _stack.SendAsync("slow", new { pidfile = pidFile });
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.FAILED, final.Status);
        Assert.StartsWith(AttemptRunner.TimeoutReason, final.StatusReason);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.WaitForAsync(() => !IsRunning(grandchild), TimeSpan.FromSeconds(10), $"background child {grandchild} to be killed");
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_per_the_retry_strategy()
    {
        var counter = _work.File("flaky.count");
        var sent = await _stack.SendAsync("flaky", new { counter });
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        Assert.Equal(2, final.Attempts);
        Assert.Equal("2", File.ReadAllText(counter).Trim());
    }

    [Fact]
    public async Task An_evaluate_on_exit_rule_with_action_EXIT_stops_the_retries()
    {
        var counter = _work.File("stubborn.count");
        var sent = await _stack.SendAsync("stubborn", new { counter });
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.FAILED, final.Status);
        Assert.Equal(4, final.ExitCode);
        Assert.Equal(1, final.Attempts);
        Assert.Equal("1", File.ReadAllText(counter).Trim());
    }

    [Fact]
    public async Task Ref_elements_are_replaced_by_parameters_and_defaults_and_unknown_refs_stay()
    {
        var output = _work.File("refs.out");
        var sent = await _stack.SendAsync("refs", new { a = "given a", @out = output });
        Assert.Equal(TriggerStatus.SUCCEEDED, (await _stack.WaitForFinalAsync(sent.TriggerId)).Status);
        Assert.Equal("given a|beta default|Ref::missing", File.ReadAllText(output));
    }

    [Fact]
    public async Task The_process_gets_the_batch_variables_the_catalog_environment_and_folder_but_not_the_api_key()
    {
        var output = _work.File("env.out");
        // The stack inherits its environment to jobs, except the API key.
        Environment.SetEnvironmentVariable("BATCHPS_API_KEY", "parent-secret");
        TriggerRecord final, sent;
        try
        {
            sent = await _stack.SendAsync("env", new { @out = output });
            final = await _stack.WaitForFinalAsync(sent.TriggerId);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATCHPS_API_KEY", null);
        }
        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        var fields = File.ReadAllText(output).Split('|');
        Assert.Equal(sent.TriggerId, fields[0]);
        Assert.Equal(final.BatchJobId, fields[1]);
        Assert.Equal("1", fields[2]);
        Assert.Equal("none", fields[3]);
        Assert.Equal("custom value", fields[4]);
        Assert.Equal(JobsFolder, fields[5]);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
