using System.Globalization;
using System.Text.Json.Nodes;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Storage;
using BatchPs.Triggers;
using BatchPs.Workflow;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Workflow;

/// <summary>
/// The local workflow: what the state machine does in the cloud, as C# code for now (the state
/// machine interpreter replaces it behind <see cref="IWorkflowStarter"/>). Each execution is a
/// durable row named after its trigger; it submits the job to the local Batch (once: a resumed
/// execution finds its job by the deterministic job name; the id is stored with the outcome), then writes the job's statuses to the
/// trigger — SUBMITTED (+batch job id), RUNNABLE, STARTING, RUNNING (+start, log), SUCCEEDED or
/// FAILED (+exit code, reason, stop, attempts) — until the job is final.
/// </summary>
internal sealed class LocalWorkflowRunner : IWorkflowStarter, IAsyncDisposable
{
    private const string Running = "RUNNING";

    private readonly LocalDatabase _database;
    private readonly LocalBatch _batch;
    private readonly ITriggerStatusWriter _status;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Task> _executions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public LocalWorkflowRunner(LocalDatabase database, LocalBatch batch, ITriggerStatusWriter status, ILogger logger)
    {
        _database = database;
        _batch = batch;
        _status = status;
        _logger = logger;
    }

    /// <summary>The execution id of an execution name.</summary>
    public static string ExecutionId(string executionName) => "local:execution:" + executionName;

    /// <inheritdoc />
    public async Task<WorkflowStart> StartAsync(string executionName, string inputJson, CancellationToken cancellationToken)
    {
        var executionId = ExecutionId(executionName);
        var startedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var created = await _database.Writer.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO executions (name, execution_id, status, input, started_at) VALUES ($name, $id, $status, $input, $started) ON CONFLICT (name) DO NOTHING";
            command.Parameters.AddWithValue("$name", executionName);
            command.Parameters.AddWithValue("$id", executionId);
            command.Parameters.AddWithValue("$status", Running);
            command.Parameters.AddWithValue("$input", inputJson);
            command.Parameters.AddWithValue("$started", startedAt);
            return command.ExecuteNonQuery() == 1;
        }).ConfigureAwait(false);
        if (created) Run(executionName, inputJson, batchJobId: null, resumed: false);
        return new WorkflowStart(executionId, alreadyStarted: !created);
    }

    /// <summary>Resumes every execution a stop or crash left running. Call once at start, after the Batch recovery.</summary>
    public int Resume()
    {
        var unfinished = new List<(string Name, string Input, string? JobId)>();
        using (var connection = _database.OpenRead())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, input, batch_job_id FROM executions WHERE status = $status ORDER BY started_at";
            command.Parameters.AddWithValue("$status", Running);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                unfinished.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        foreach (var (name, input, jobId) in unfinished) Run(name, input, jobId, resumed: true);
        return unfinished.Count;
    }

    /// <summary>Stops the executions (they resume at the next start) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_executions) running = _executions.Values.ToArray();
        await Task.WhenAll(running).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Run(string executionName, string inputJson, string? batchJobId, bool resumed)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_executions)
        {
            // One runner per execution, ever: a second start of the same name is a replay.
            if (_executions.ContainsKey(executionName)) return;
            _executions[executionName] = RunAsync(gate.Task);
        }
        gate.SetResult();

        async Task RunAsync(Task started)
        {
            await started.ConfigureAwait(false);
            try
            {
                await ExecuteAsync(executionName, inputJson, batchJobId, resumed).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Only a failure to record a submit failure gets here; the next start resumes the execution.
                if (!_stopping.IsCancellationRequested)
                    _logger.LogError(ex, "Workflow execution {Execution} stopped; it resumes at the next start.", executionName);
            }
            finally
            {
                lock (_executions) _executions.Remove(executionName);
            }
        }
    }

    private async Task ExecuteAsync(string executionName, string inputJson, string? batchJobId, bool resumed)
    {
        var stopping = _stopping.Token;
        var delay = new RetryDelay();
        while (!stopping.IsCancellationRequested)
        {
            string? triggerId = null;
            try
            {
                var input = JsonNode.Parse(inputJson)!.AsObject();
                triggerId = (string?)input["triggerId"] ?? throw new BatchClientException("The workflow input has no triggerId.");
                var submit = SubmitJobRequest.FromJson(input["submitJob"] ?? throw new BatchClientException("The workflow input has no submitJob."));
                if (batchJobId is null)
                {
                    // A resumed (or retried) execution may have submitted its job before it could record the id.
                    var submitted = resumed ? _batch.ListJobIdsByName(submit.JobName).LastOrDefault() : null;
                    batchJobId = submitted ?? await _batch.SubmitJobAsync(submit).ConfigureAwait(false);
                }
                // The execution id too: this write may overtake the trigger handler's STARTED write, which then no longer applies.
                await _status.ApplyAsync(new TriggerUpdate(triggerId, TriggerStatus.SUBMITTED) { BatchJobId = batchJobId, ExecutionId = ExecutionId(executionName) }, stopping).ConfigureAwait(false);

                BatchJobDetail? final = null;
                await foreach (var detail in _batch.WatchAsync(batchJobId, stopping).ConfigureAwait(false))
                {
                    if (ToUpdate(triggerId, detail) is { } update)
                        await _status.ApplyAsync(update, stopping).ConfigureAwait(false);
                    if (BatchJobStatus.IsFinal(detail.Status)) final = detail;
                }
                if (final is null) return;
                await SaveAsync(executionName, final.Status, batchJobId, error: null).ConfigureAwait(false);
                return;
            }
            catch (BatchClientException ex)
            {
                if (triggerId is not null)
                {
                    await _status.ApplyAsync(new TriggerUpdate(triggerId, TriggerStatus.FAILED)
                    {
                        StatusReason = "The job could not be submitted: " + ex.Message,
                        StoppedAt = DateTimeOffset.UtcNow,
                    }, stopping).ConfigureAwait(false);
                }
                await SaveAsync(executionName, BatchJobStatus.Failed, batchJobId, ex.Message).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Stopping: the execution resumes at the next start.
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Workflow execution {Execution} failed; retrying in {Delay} ms.", executionName, delay.Next.TotalMilliseconds);
                try
                {
                    await delay.WaitAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                resumed = true;
            }
        }
    }

    /// <summary>The trigger write that mirrors a Batch job's detail.</summary>
    internal static TriggerUpdate? ToUpdate(string triggerId, BatchJobDetail detail)
    {
        if (TriggerStatusOrder.Parse(detail.Status) is not TriggerStatus status) return null;
        var isArray = detail.ArrayProperties?.Size is not null;
        var inProgress = !isArray && detail.Status is BatchJobStatus.Starting or BatchJobStatus.Running;
        return new TriggerUpdate(triggerId, status)
        {
            StatusReason = detail.StatusReason,
            BatchJobId = detail.JobId,
            LogLocation = detail.Container.LogStreamName,
            ExitCode = BatchJobStatus.IsFinal(detail.Status) ? detail.Container.ExitCode : null,
            StartedAt = detail.StartedAt is long started ? DateTimeOffset.FromUnixTimeMilliseconds(started) : null,
            StoppedAt = detail.StoppedAt is long stopped ? DateTimeOffset.FromUnixTimeMilliseconds(stopped) : null,
            Attempts = !isArray && detail.Attempts.Count + (inProgress ? 1 : 0) is var n && n > 0 ? n : null,
            ArrayStatusSummary = detail.ArrayProperties?.StatusSummary,
        };
    }

    private Task SaveAsync(string executionName, string status, string? batchJobId, string? error) =>
        _database.Writer.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE executions SET status = $status, batch_job_id = $job, error = $error, stopped_at = $stopped WHERE name = $name";
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$job", (object?)batchJobId ?? DBNull.Value);
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("$stopped", status == Running ? DBNull.Value : DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$name", executionName);
            return command.ExecuteNonQuery();
        });
}
