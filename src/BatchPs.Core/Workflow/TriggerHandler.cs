using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Workflow;

/// <summary>
/// What happens to a newly stored trigger, in the cloud (the stream Lambda, per INSERT) and locally
/// (the change-feed consumer): look the job up in the catalog, reject it with a reason when it may
/// not run, or start its workflow under a deterministic name and mark it STARTED. Replays are safe:
/// an existing execution counts as started, and status writes are forward only.
/// Transient failures throw, so the caller retries the record.
/// </summary>
public sealed class TriggerHandler
{
    private readonly IJobCatalog _catalog;
    private readonly IWorkflowStarter _workflows;
    private readonly ITriggerStatusWriter _status;

    /// <summary>Creates the handler from its three seams.</summary>
    public TriggerHandler(IJobCatalog catalog, IWorkflowStarter workflows, ITriggerStatusWriter status)
    {
        _catalog = catalog;
        _workflows = workflows;
        _status = status;
    }

    /// <summary>Handles one trigger as it was inserted.</summary>
    public async Task<TriggerHandling> HandleAsync(TriggerRecord trigger, CancellationToken cancellationToken)
    {
        if (trigger.Status != TriggerStatus.RECEIVED)
            return TriggerHandling.Skipped;

        var entry = await _catalog.FindAsync(trigger.JobName, cancellationToken).ConfigureAwait(false);
        var problem = JobCatalogRules.CheckTrigger(entry, trigger.JobName, trigger.Parameters, trigger.Overrides);
        if (problem is not null)
        {
            await _status.ApplyAsync(new TriggerUpdate(trigger.TriggerId, TriggerStatus.REJECTED) { StatusReason = problem.Message }, cancellationToken).ConfigureAwait(false);
            return TriggerHandling.Rejected;
        }

        var input = WorkflowInput.Build(trigger, entry!).ToJsonString();
        var start = await _workflows.StartAsync(ExecutionNames.ForTrigger(trigger.TriggerId), input, cancellationToken).ConfigureAwait(false);
        await _status.ApplyAsync(new TriggerUpdate(trigger.TriggerId, TriggerStatus.STARTED) { ExecutionId = start.ExecutionId }, cancellationToken).ConfigureAwait(false);
        return start.AlreadyStarted ? TriggerHandling.AlreadyStarted : TriggerHandling.Started;
    }
}

/// <summary>The outcome of <see cref="TriggerHandler.HandleAsync"/>.</summary>
public enum TriggerHandling
{
    /// <summary>The workflow was started.</summary>
    Started,
    /// <summary>The workflow existed already (replayed event); nothing new started.</summary>
    AlreadyStarted,
    /// <summary>The trigger was marked REJECTED.</summary>
    Rejected,
    /// <summary>The record was not in RECEIVED; nothing to do.</summary>
    Skipped,
}
