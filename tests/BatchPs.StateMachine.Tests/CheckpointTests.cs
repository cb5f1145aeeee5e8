using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Runtime;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>The durable resumption seam: a checkpoint after every completed top-level state, and resuming from one.</summary>
public sealed class CheckpointTests
{
    private const string Definition = """
        {"StartAt":"First","States":{
          "First":{"Type":"Task","Resource":"arn:batchps:test:count","Parameters":{"step":"first"},"ResultPath":"$.first","Next":"Second"},
          "Second":{"Type":"Task","Resource":"arn:batchps:test:count","Parameters":{"step":"second"},"ResultPath":"$.second","Next":"Done"},
          "Done":{"Type":"Succeed"}}}
        """;

    private sealed class RecordingSink : IExecutionCheckpointSink
    {
        public List<ExecutionCheckpoint> Saved { get; } = [];
        public ExecutionResult? Completed { get; private set; }

        public Task SaveAsync(ExecutionCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Saved.Add(ExecutionCheckpoint.FromJson(checkpoint.ToJson()));
            return Task.CompletedTask;
        }

        public Task CompletedAsync(ExecutionResult result, CancellationToken cancellationToken)
        {
            Completed = result;
            return Task.CompletedTask;
        }
    }

    private static TaskResourceRegistry Counting(ConcurrentDictionary<string, int> calls, string? blockOn = null, TaskCompletionSource? blocked = null) =>
        new TaskResourceRegistry().Add("arn:batchps:test:count", async (invocation, token) =>
        {
            var step = invocation.Parameters!["step"]!.GetValue<string>();
            calls.AddOrUpdate(step, 1, (_, n) => n + 1);
            if (step == blockOn)
            {
                blocked!.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }
            return JsonValue.Create(step + " done");
        });

    [Fact]
    public async Task A_checkpoint_precedes_the_first_state_and_follows_every_completed_top_level_state()
    {
        var sink = new RecordingSink();
        var calls = new ConcurrentDictionary<string, int>();
        var resources = Counting(calls);
        var interpreter = new StateMachineInterpreter(DefinitionLoader.Load(Definition, resources), resources, new InterpreterOptions { CheckpointSink = sink });

        var result = await interpreter.StartAsync("run-1", JsonNode.Parse("""{"in":1}""")).WaitAsync(Asl.Deadline);

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Equal(["First", "Second", "Done"], sink.Saved.Select(c => c.NextState));
        Assert.Equal(0, sink.Saved[0].TransitionCount);
        Assert.Equal(["ExecutionStarted"], sink.Saved[0].History.Select(e => e.Type));
        Asl.Equal("""{"in":1,"first":"first done"}""", sink.Saved[1].StateInput);
        Assert.Equal(1, sink.Saved[1].TransitionCount);
        Asl.Equal("""{"in":1}""", sink.Saved[1].ExecutionInput);
        Assert.Equal(result.ExecutionId, sink.Saved[1].ExecutionId);
        Assert.Contains(sink.Saved[1].History, e => e.Type == "TaskStateExited" && e.StateName == "First");
        Assert.Same(result, sink.Completed);
    }

    [Fact]
    public async Task Resumed_execution_does_not_run_completed_tasks_again()
    {
        var sink = new RecordingSink();
        var calls = new ConcurrentDictionary<string, int>();
        var blocked = new TaskCompletionSource();
        var resources = Counting(calls, blockOn: "second", blocked);
        var interpreter = new StateMachineInterpreter(DefinitionLoader.Load(Definition, resources), resources, new InterpreterOptions { CheckpointSink = sink });

        // The first run stops (as on a shutdown) while the second task runs.
        using var shutdown = new CancellationTokenSource();
        var first = interpreter.StartAsync("run-2", JsonNode.Parse("""{"in":1}"""), cancellationToken: shutdown.Token);
        await blocked.Task.WaitAsync(Asl.Deadline);
        shutdown.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Asl.Deadline));
        var checkpoint = sink.Saved[^1];
        Assert.Equal("Second", checkpoint.NextState);

        // A new interpreter (a restarted process) resumes from the stored checkpoint.
        var afterRestart = new ConcurrentDictionary<string, int>();
        var resumedResources = Counting(afterRestart);
        var resumed = new StateMachineInterpreter(DefinitionLoader.Load(Definition, resumedResources), resumedResources);
        var result = await resumed.ResumeAsync(ExecutionCheckpoint.FromJson(checkpoint.ToJson())).WaitAsync(Asl.Deadline);

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Asl.Equal("""{"in":1,"first":"first done","second":"second done"}""", result.Output);
        Assert.False(afterRestart.ContainsKey("first"));
        Assert.Equal(1, afterRestart["second"]);
        Assert.Equal(3, result.TransitionCount);
        Assert.Equal(result.ExecutionId, checkpoint.ExecutionId);
        Assert.Equal(1, result.History.Count(e => e.Type == "ExecutionStarted"));
        Assert.Equal("ExecutionSucceeded", result.History[^1].Type);
    }

    [Fact]
    public async Task Resumed_task_gets_the_same_invocation_id_as_the_interrupted_one()
    {
        var ids = new ConcurrentQueue<string>();
        var blocked = new TaskCompletionSource();
        var sink = new RecordingSink();
        var resources = new TaskResourceRegistry().Add("arn:batchps:test:count", async (invocation, token) =>
        {
            ids.Enqueue(invocation.InvocationId);
            if (ids.Count == 2)
            {
                blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }
            return null;
        });
        var definition = DefinitionLoader.Load(Definition, resources);
        using var shutdown = new CancellationTokenSource();
        var run = new StateMachineInterpreter(definition, resources, new InterpreterOptions { CheckpointSink = sink }).StartAsync("run-3", new JsonObject(), cancellationToken: shutdown.Token);
        await blocked.Task.WaitAsync(Asl.Deadline);
        shutdown.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Asl.Deadline));

        await new StateMachineInterpreter(definition, resources).ResumeAsync(sink.Saved[^1]).WaitAsync(Asl.Deadline);

        var all = ids.ToArray();
        Assert.Equal(3, all.Length);
        Assert.Equal(all[1], all[2]);
        Assert.NotEqual(all[0], all[1]);
    }

    [Fact]
    public async Task Execution_stopped_in_its_first_state_resumes_from_the_start_checkpoint()
    {
        var sink = new RecordingSink();
        var calls = new ConcurrentDictionary<string, int>();
        var blocked = new TaskCompletionSource();
        var resources = Counting(calls, blockOn: "first", blocked);
        var definition = DefinitionLoader.Load(Definition, resources);
        using var shutdown = new CancellationTokenSource();
        var run = new StateMachineInterpreter(definition, resources, new InterpreterOptions { CheckpointSink = sink }).StartAsync("run-4", JsonNode.Parse("""{"in":1}"""), cancellationToken: shutdown.Token);
        await blocked.Task.WaitAsync(Asl.Deadline);
        shutdown.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Asl.Deadline));

        var restarted = Counting(new ConcurrentDictionary<string, int>());
        var result = await new StateMachineInterpreter(DefinitionLoader.Load(Definition, restarted), restarted)
            .ResumeAsync(Assert.Single(sink.Saved)).WaitAsync(Asl.Deadline);
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Equal(3, result.TransitionCount);
        Assert.Null(sink.Completed);
    }

    [Fact]
    public void Resuming_at_a_state_the_definition_lacks_is_refused()
    {
        var resources = Counting(new ConcurrentDictionary<string, int>());
        var interpreter = new StateMachineInterpreter(DefinitionLoader.Load(Definition, resources), resources);
        var checkpoint = new ExecutionCheckpoint
        {
            ExecutionId = "id", ExecutionName = "n", StartTime = DateTimeOffset.UnixEpoch, NextState = "Renamed", TransitionCount = 1, History = [],
        };
        var e = Assert.Throws<ArgumentException>(() => { _ = interpreter.ResumeAsync(checkpoint); });
        Assert.Contains("Renamed", e.Message);
    }

    [Fact]
    public async Task Execution_timeout_counts_from_the_original_start_after_a_resume()
    {
        var time = new ScaledTimeProvider();
        var resources = new TaskResourceRegistry();
        var definition = DefinitionLoader.Load("""{"TimeoutSeconds":60,"StartAt":"A","States":{"A":{"Type":"Pass","Next":"W"},"W":{"Type":"Wait","Seconds":3600,"End":true}}}""", resources);
        var checkpoint = new ExecutionCheckpoint
        {
            ExecutionId = "id", ExecutionName = "n", StartTime = time.GetUtcNow() - TimeSpan.FromSeconds(45), NextState = "W", TransitionCount = 1, History = [],
        };
        var result = await new StateMachineInterpreter(definition, resources, new InterpreterOptions { TimeProvider = time }).ResumeAsync(checkpoint).WaitAsync(Asl.Deadline);
        Assert.Equal(ExecutionStatus.TIMED_OUT, result.Status);
    }

    [Fact]
    public async Task Execution_result_round_trips_through_json()
    {
        var result = await Asl.RunAsync("""{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}""", """{"a":1}""");
        var json = result.ToJson();
        Assert.Contains("\"status\":\"FAILED\"", json);
        var back = ExecutionResult.FromJson(json);
        Assert.Equal(result.Status, back.Status);
        Assert.Equal(result.Error, back.Error);
        Assert.Equal(result.TransitionCount, back.TransitionCount);
        Assert.Equal(result.History.Select(e => e.Type), back.History.Select(e => e.Type));
        Asl.Equal("""{"a":1}""", back.History[0].Input);
    }
}
