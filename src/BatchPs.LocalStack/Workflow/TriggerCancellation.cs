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
/// second cancel of a CANCELLED trigger drives the same steps again (harmless), so a stack that stopped between them
/// finishes them on the next cancel.
/// </summary>
internal sealed class TriggerCancellation
{
    /// <summary>The error of the ExecutionAborted event of a cancelled trigger's execution.</summary>
    public const string AbortError = "BatchPs.TriggerCancelled";

    private readonly TriggerStore _store;
    private readonly LocalBatch _batch;
    private readonly LocalWorkflowRunner _workflows;

    public TriggerCancellation(TriggerStore store, LocalBatch batch, LocalWorkflowRunner workflows)
    {
        _store = store;
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
            await _workflows.AbortAsync(ExecutionNames.ForTrigger(triggerId), AbortError, "The trigger was cancelled: " + reason).ConfigureAwait(false);
        }
        return result;
    }
}
