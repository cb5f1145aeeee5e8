using System.Text.Json.Nodes;
using BatchPs.LocalStack.Storage;
using BatchPs.StateMachine.Runtime;
using BatchPs.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Workflow;

/// <summary>
/// Runs the trigger workflow — the state machine definition the cloud deploys — through the
/// interpreter. Each execution is a durable row named after its trigger; its checkpoints (after every
/// completed state) and result are stored, so a stop or crash resumes it from the last completed
/// state, and a Task that was running re-attaches to its job (the same invocation id is the job's
/// idempotency token).
/// </summary>
internal sealed class LocalWorkflowRunner : IWorkflowStarter, IAsyncDisposable
{
    private int _disposed;
    private readonly StateMachineInterpreter _interpreter;
    private readonly ExecutionStore _executions;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (Task Run, ExecutionAbort Abort)> _running = new(StringComparer.Ordinal);
    /// <summary>Executions aborted while not running here: a later start or resume of the name ends at once.</summary>
    private readonly Dictionary<string, (string Error, string Cause)> _abortedBeforeRun = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public LocalWorkflowRunner(StateMachineInterpreter interpreter, ExecutionStore executions, ILogger logger)
    {
        _interpreter = interpreter;
        _executions = executions;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<WorkflowStart> StartAsync(string executionName, string inputJson, CancellationToken cancellationToken)
    {
        var executionId = _interpreter.ExecutionIdFor(executionName);
        var input = JsonNode.Parse(inputJson);
        var created = await _executions.CreateAsync(executionName, executionId, inputJson).ConfigureAwait(false);
        if (created) Run(executionName, input, checkpoint: null);
        return new WorkflowStart(executionId, alreadyStarted: !created);
    }

    /// <summary>Resumes every execution a stop or crash left running. Call once at start, after the Batch recovery.</summary>
    public int Resume()
    {
        var unfinished = _executions.ReadUnfinished();
        foreach (var (name, input, checkpoint) in unfinished)
            Run(name, JsonNode.Parse(input), checkpoint);
        return unfinished.Count;
    }

    /// <summary>Stops the executions (they resume at the next start) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_running) running = _running.Values.Select(r => r.Run).ToArray();
        await Task.WhenAll(running).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// StopExecution: the execution ends ABORTED (history: <c>ExecutionAborted</c> with <paramref name="error"/> and
    /// <paramref name="cause"/>) and its running state's task is cancelled. An execution that is not running here yet
    /// is aborted in the store, and a later start or resume of it ends at once. Waits until the execution has ended.
    /// </summary>
    public async Task AbortAsync(string executionName, string error, string cause)
    {
        Task? running = null;
        lock (_running)
        {
            if (_running.TryGetValue(executionName, out var run))
            {
                run.Abort.Request(error, cause);
                running = run.Run;
            }
            else
            {
                _abortedBeforeRun[executionName] = (error, cause);
            }
        }
        if (running is not null) await running.ConfigureAwait(false);
        else await _executions.AbortAsync(executionName, error, cause).ConfigureAwait(false);
    }

    private void Run(string executionName, JsonNode? input, ExecutionCheckpoint? checkpoint)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abort = new ExecutionAbort();
        lock (_running)
        {
            // One run per execution: a second start of the same name is a replay.
            if (_running.ContainsKey(executionName)) return;
            if (_abortedBeforeRun.TryGetValue(executionName, out var aborted)) abort.Request(aborted.Error, aborted.Cause);
            _running[executionName] = (RunAsync(gate.Task), abort);
        }
        gate.SetResult();

        async Task RunAsync(Task go)
        {
            await go.ConfigureAwait(false);
            try
            {
                if (abort.IsRequested) await _executions.AbortAsync(executionName, abort.Error!, abort.Cause!).ConfigureAwait(false);
                else await ExecuteAsync(executionName, input, checkpoint, abort).ConfigureAwait(false);
            }
            finally
            {
                lock (_running) _running.Remove(executionName);
                abort.Dispose();
            }
        }
    }

    private async Task ExecuteAsync(string executionName, JsonNode? input, ExecutionCheckpoint? checkpoint, ExecutionAbort abort)
    {
        var stopping = _stopping.Token;
        var delay = new RetryDelay();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var result = checkpoint is null
                    ? await _interpreter.StartAsync(executionName, input, abort, stopping).ConfigureAwait(false)
                    : await _interpreter.ResumeAsync(checkpoint, abort, stopping).ConfigureAwait(false);
                if (result.Status != ExecutionStatus.SUCCEEDED && _logger.IsEnabled(LogLevel.Information))
                    _logger.LogInformation("Workflow execution {Execution} {Status}: {Error} {Cause}", executionName, result.Status, result.Error, result.Cause);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return; // Stopping: the execution resumes at the next start.
            }
            catch (Exception ex)
            {
                // A checkpoint could not be stored: continue from the last one that was.
                _logger.LogError(ex, "Workflow execution {Execution} stopped; resuming it in {Delay} ms.", executionName, delay.Next.TotalMilliseconds);
                try
                {
                    await delay.WaitAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var saved = _executions.ReadUnfinished().FirstOrDefault(e => e.Name == executionName);
                if (saved.Name is null) return; // It ended after all.
                checkpoint = saved.Checkpoint;
            }
        }
    }
}
