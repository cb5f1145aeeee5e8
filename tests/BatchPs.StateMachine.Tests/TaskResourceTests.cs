using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Runtime;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>The Task resource seam: what a resource receives, and how its failures become ASL errors.</summary>
public sealed class TaskResourceTests
{
    private const string Arn = "arn:aws:states:::batch:submitJob.sync";

    [Fact]
    public async Task Resource_receives_parameters_context_and_a_stable_invocation_id()
    {
        TaskInvocation? seen = null;
        var resources = new TaskResourceRegistry().Add(Arn, (invocation, _) =>
        {
            seen = invocation;
            return Task.FromResult<JsonNode?>(new JsonObject { ["JobId"] = "job-1" });
        });
        var result = await Asl.RunAsync("""
            {"StartAt":"Submit","States":{"Submit":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync",
              "Parameters":{"JobName.$":"$.jobName","Tags":{"BatchPsTriggerId.$":"$.triggerId"}},"ResultPath":"$.job","End":true}}}
            """, """{"jobName":"hello","triggerId":"t-1"}""", resources, name: "trigger-t-1");

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Asl.Equal("""{"jobName":"hello","triggerId":"t-1","job":{"JobId":"job-1"}}""", result.Output);
        Assert.NotNull(seen);
        Asl.Equal("""{"JobName":"hello","Tags":{"BatchPsTriggerId":"t-1"}}""", seen!.Parameters);
        Assert.Equal("Submit", seen.StateName);
        Assert.Equal(Arn, seen.Resource);
        Assert.Equal("trigger-t-1", seen.Context["Execution"]!["Name"]!.GetValue<string>());
        Assert.Equal(result.ExecutionId, seen.ExecutionId);
        Assert.Equal($"{result.ExecutionId}/Submit/1/0", seen.InvocationId);
    }

    [Fact]
    public async Task Resource_exception_fails_the_task_with_TaskFailed_and_its_message_as_cause()
    {
        var resources = new TaskResourceRegistry().Add(Arn, (_, _) => throw new InvalidOperationException("the runner is gone"));
        var result = await Asl.RunAsync("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","End":true}}}""", resources: resources);
        Assert.Equal(ExecutionStatus.FAILED, result.Status);
        Assert.Equal(StatesErrors.TaskFailed, result.Error);
        Assert.Equal("the runner is gone", result.Cause);
    }

    [Fact]
    public async Task Job_failure_cause_carries_the_job_detail_to_the_catcher()
    {
        // The shape the local batch:submitJob.sync resource will use: States.TaskFailed with the DescribeJobs detail as Cause.
        var detail = """{"JobId":"j-1","Status":"FAILED","StatusReason":"Essential container in task exited","Container":{"ExitCode":3}}""";
        var resources = new TaskResourceRegistry().Add(Arn, (_, _) => throw new StatesErrorException(StatesErrors.TaskFailed, detail));
        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.error","Next":"Parse"}],"End":true},
              "Parse":{"Type":"Pass","Parameters":{"detail.$":"States.StringToJson($.error.Cause)"},"OutputPath":"$.detail.Container","End":true}}}
            """, resources: resources);
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Asl.Equal("""{"ExitCode":3}""", result.Output);
    }

    [Fact]
    public async Task Cancelling_the_token_stops_the_execution_without_reporting_an_end()
    {
        var started = new TaskCompletionSource();
        var resources = new TaskResourceRegistry().Add(Arn, async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return null;
        });
        var definition = DefinitionLoader.Load("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","End":true}}}""", resources);
        var interpreter = new StateMachineInterpreter(definition, resources);
        using var cts = new CancellationTokenSource();
        var run = interpreter.StartAsync("x", new JsonObject(), cancellationToken: cts.Token);
        await started.Task.WaitAsync(Asl.Deadline);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Asl.Deadline));
    }

    [Fact]
    public async Task Task_timeout_cancels_the_resource_token()
    {
        var cancelled = new TaskCompletionSource();
        var time = new ScaledTimeProvider();
        var resources = new TaskResourceRegistry().Add(Arn, async (_, token) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromHours(1), time, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
            return null;
        });
        var result = await Asl.RunAsync("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","TimeoutSeconds":5,"End":true}}}""",
            resources: resources, options: new InterpreterOptions { TimeProvider = time });
        Assert.Equal(StatesErrors.Timeout, result.Error);
        await cancelled.Task.WaitAsync(Asl.Deadline);
    }

    [Fact]
    public async Task A_host_failure_of_a_resource_ends_the_run_instead_of_failing_the_task()
    {
        var calls = 0;
        var resources = new TaskResourceRegistry().Add(Arn, (_, _) =>
        {
            calls++;
            throw new IOException("disk full");
        });
        const string definition = """
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync",
              "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3,"IntervalSeconds":1}],
              "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
              "Caught":{"Type":"Succeed"}}}
            """;
        var time = new ScaledTimeProvider();

        var failure = await Assert.ThrowsAsync<IOException>(() => Asl.RunAsync(definition, resources: resources,
            options: new InterpreterOptions { TimeProvider = time, IsHostFailure = e => e is IOException }));

        Assert.Equal("disk full", failure.Message);
        Assert.Equal(1, calls); // neither retried nor caught by the definition

        // Without the option the same exception is the task's failure: retried, then caught.
        calls = 0;
        var result = await Asl.RunAsync(definition, resources: resources, options: new InterpreterOptions { TimeProvider = time });
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task History_records_states_tasks_and_the_end_in_order()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Result":{"val1":1,"val2":2},"Next":"Add"},
              "Add":{"Type":"Task","Resource":"arn:batchps:test:add","End":true}}}
            """);
        Assert.Equal(
            ["ExecutionStarted", "PassStateEntered", "PassStateExited", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"],
            result.History.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, result.History.Count).Select(i => (long)i), result.History.Select(e => e.Id));
        var exited = result.History.Single(e => e.Type == "TaskStateExited");
        Assert.Equal("Add", exited.StateName);
        Asl.Equal("3", exited.Output);
        Assert.Equal(2, result.TransitionCount);
    }

    [Fact]
    public async Task Failed_execution_history_ends_with_ExecutionFailed()
    {
        var result = await Asl.RunAsync("""{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}""");
        Assert.Equal(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"], result.History.Select(e => e.Type));
        Assert.Equal("E", result.History[^1].Error);
        Assert.Equal("C", result.History[^1].Cause);
    }

    [Fact]
    public async Task Fail_state_without_error_reports_no_error_name()
    {
        var result = await Asl.RunAsync("""{"StartAt":"F","States":{"F":{"Type":"Fail"}}}""");
        Assert.Equal(ExecutionStatus.FAILED, result.Status);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task Wait_advances_the_clock_by_its_seconds()
    {
        var result = await Asl.RunAsync("""{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}}""");
        var entered = result.History.Single(e => e.Type == "WaitStateEntered").Timestamp;
        var exited = result.History.Single(e => e.Type == "WaitStateExited").Timestamp;
        Assert.True(exited - entered >= TimeSpan.FromSeconds(30), $"waited only {exited - entered}");
    }

    [Fact]
    public async Task Retry_waits_interval_times_backoff()
    {
        // IntervalSeconds 2, BackoffRate 3: waits 2 s then 6 s before the two retries (states-language.net "Retrying after error").
        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:batchps:test:flaky","Parameters":{"failures":2,"Error":"E"},
              "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":2,"BackoffRate":3}],"End":true}}}
            """);
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        var failures = result.History.Where(e => e.Type == "TaskFailed").Select(e => e.Timestamp).ToList();
        var scheduled = result.History.Where(e => e.Type == "TaskScheduled").Select(e => e.Timestamp).ToList();
        // Lower bounds only: a loaded machine may be late, never early.
        Assert.True(scheduled[1] - failures[0] >= TimeSpan.FromSeconds(2), $"first retry after {scheduled[1] - failures[0]}");
        Assert.True(scheduled[2] - failures[1] >= TimeSpan.FromSeconds(6), $"second retry after {scheduled[2] - failures[1]}");
    }

    [Fact]
    public async Task Task_result_over_256_KiB_fails_with_DataLimitExceeded_which_no_catcher_takes()
    {
        var resources = new TaskResourceRegistry().Add(Arn, (_, _) => Task.FromResult<JsonNode?>(JsonValue.Create(new string('x', 300_000))));
        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync",
              "Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},"H":{"Type":"Pass","End":true}}}
            """, resources: resources);
        Assert.Equal(StatesErrors.DataLimitExceeded, result.Error);
    }

    [Fact]
    public async Task Execution_input_over_256_KiB_is_refused()
    {
        var resources = new TaskResourceRegistry();
        var interpreter = new StateMachineInterpreter(DefinitionLoader.Load("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", resources), resources);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => interpreter.StartAsync("big", new JsonObject { ["s"] = new string('x', 300_000) }));
        Assert.Contains("262144", e.Message);
    }

    [Fact]
    public async Task Map_item_context_exists_only_in_ItemSelector()
    {
        // Developer guide, "Context object": Map.Item.Index and Map.Item.Value are available to ItemSelector.
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{
              "P":{"Type":"Pass","Parameters":{"i.$":"$$.Map.Item.Index"},"End":true}}},"End":true}}}
            """, "[1]");
        Assert.Equal(StatesErrors.Runtime, result.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("colon:name")]
    public async Task Invalid_execution_name_is_refused(string name)
    {
        var resources = new TaskResourceRegistry();
        var interpreter = new StateMachineInterpreter(DefinitionLoader.Load("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", resources), resources);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => interpreter.StartAsync(name, new JsonObject()));
        Assert.Contains("1 to 80 characters", e.Message);
    }

    [Fact]
    public void Interpreter_refuses_a_registry_without_the_definitions_resources()
    {
        var definition = DefinitionLoader.Load("""{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:batchps:test:echo","End":true}}},"End":true}}}""",
            TestResources.Create(TimeProvider.System));
        var e = Assert.Throws<ArgumentException>(() => new StateMachineInterpreter(definition, new TaskResourceRegistry()));
        Assert.Contains(TestResources.Echo, e.Message);
    }

    [Fact]
    public async Task Failed_parallel_state_is_recorded_with_its_name()
    {
        var result = await Asl.RunAsync("""{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}],"End":true}}}""");
        var failed = Assert.Single(result.History, e => e.Type == "ParallelStateFailed");
        Assert.Equal("Par", failed.StateName);
        Assert.Equal("E", failed.Error);
    }

    [Fact]
    public async Task Inline_map_runs_at_most_40_iterations_at_once()
    {
        var running = 0;
        var peak = 0;
        var resources = new TaskResourceRegistry().Add(Arn, async (_, token) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(20, token);
            Interlocked.Decrement(ref running);
            return null;
        });
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","End":true}}},"End":true}}}
            """, new JsonObject { ["items"] = new JsonArray(Enumerable.Range(0, 100).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()) }.ToJsonString(), resources);
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.InRange(peak, 1, 40);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
