using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Storage;

namespace BatchPs.LocalStack.Workflow;

/// <summary>
/// <c>POST /triggers/{id}/cancel</c> on the local stack: the record becomes CANCELLED first (final, so no later write,
/// late Batch event or replay moves it), then the trigger's Batch jobs are terminated (the process trees killed before
/// this returns; a queued job or array child never starts) and its workflow execution is stopped (ABORTED,
/// <c>ExecutionAborted</c>) — what Step Functions' StopExecution does to a <c>submitJob.sync</c> task in the cloud. A
/// second cancel of a CANCELLED trigger drives the same steps again (harmless); and a stack that stopped between them
/// finishes them at its next start (<see cref="FindInterrupted"/>, <see cref="FinishInterruptedAsync"/>), before any
/// of the trigger's jobs could run again.
/// </summary>
internal sealed class TriggerCancellation
{
    /// <summary>The error of the ExecutionAborted event of a cancelled trigger's execution.</summary>
    public const string AbortError = "BatchPs.TriggerCancelled";

    private readonly TriggerStore _store;
    private readonly LocalBatch _batch;
    private readonly LocalWorkflowRunner _workflows;
    private readonly ExecutionStore _executions;

    public TriggerCancellation(TriggerStore store, LocalBatch batch, LocalWorkflowRunner workflows, ExecutionStore executions)
    {
        _store = store;
        _executions = executions;
        _batch = batch;
        _workflows = workflows;
    }

    /// <summary>Cancels the trigger; see <see cref="TriggerStore.CancelAsync"/> for the outcomes.</summary>
    public async Task<(TriggerCancelOutcome Outcome, TriggerRecord? Record)> CancelAsync(string triggerId, TriggerCancelRequest request)
    {
        var result = await _store.CancelAsync(triggerId, request.Reason ?? TriggerCancelRequest.DefaultReason, request.Client).ConfigureAwait(false);
        if (result.Outcome is TriggerCancelOutcome.Cancelled or TriggerCancelOutcome.AlreadyCancelled)
        {
            var reason = result.Record!.StatusReason ?? TriggerCancelRequest.DefaultReason;
            _batch.TerminateTrigger(triggerId, reason);
            await AbortExecutionAsync(triggerId, reason).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>
    /// At start, before the Batch recovery: the cancels a stop or crash cut short — CANCELLED triggers whose workflow
    /// execution had not ended (their jobs may still run, or would be run again) — as trigger id and cancel reason.
    /// </summary>
    public IReadOnlyDictionary<string, string> FindInterrupted()
    {
        var interrupted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, input, _) in _executions.ReadUnfinished())
        {
            if (JsonNode.Parse(input)?[WorkflowInput.TriggerIdField] is not JsonValue id || !id.TryGetValue<string>(out var triggerId)) continue;
            if (_store.Find(triggerId) is { Status: TriggerStatus.CANCELLED } record)
                interrupted[triggerId] = record.StatusReason ?? TriggerCancelRequest.DefaultReason;
        }
        return interrupted;
    }

    /// <summary>At start, after the Batch recovery terminated their jobs: stops those triggers' executions (ABORTED), before they resume.</summary>
    public async Task FinishInterruptedAsync(IReadOnlyDictionary<string, string> interrupted)
    {
        foreach (var (triggerId, reason) in interrupted) await AbortExecutionAsync(triggerId, reason).ConfigureAwait(false);
    }

    private Task AbortExecutionAsync(string triggerId, string reason) =>
        _workflows.AbortAsync(ExecutionNames.ForTrigger(triggerId), AbortError, "The trigger was cancelled: " + reason);
}
