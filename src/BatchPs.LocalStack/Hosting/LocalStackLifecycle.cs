using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Feed;
using BatchPs.LocalStack.Storage;
using BatchPs.LocalStack.Workflow;
using Microsoft.Extensions.Hosting;

namespace BatchPs.LocalStack.Hosting;

/// <summary>
/// Starts the background parts before the server listens (the host starts hosted services first), settling what a
/// previous stop or crash left: cancels cut short (their jobs terminated, executions aborted), interrupted attempts and
/// queued jobs (local Batch), running executions (workflows), unhandled feed entries (consumer); then the record
/// retention sweeps begin (in the background). Stops them after the server, in the reverse order: the sweeps end, no
/// new trigger is handled,
/// executions stop (they resume at the next start), running job processes are killed (the next start settles them).
/// </summary>
internal sealed class LocalStackLifecycle : IHostedService
{
    private readonly LocalBatch _batch;
    private readonly LocalWorkflowRunner _workflows;
    private readonly ChangeFeedConsumer _consumer;
    private readonly TriggerCancellation _cancellation;
    private readonly RecordRetention _retention;

    public LocalStackLifecycle(LocalBatch batch, LocalWorkflowRunner workflows, ChangeFeedConsumer consumer, TriggerCancellation cancellation, RecordRetention retention)
    {
        _cancellation = cancellation;
        _batch = batch;
        _workflows = workflows;
        _consumer = consumer;
        _retention = retention;
    }

    /// <summary>True once the background parts run (a later start failure is the server's).</summary>
    public bool Started { get; private set; }

    /// <summary>What the start settled, for the console; null when there was nothing.</summary>
    public string? RecoverySummary { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Cancels a stop or crash cut short first: their jobs must not run again, their executions must not resume.
        var cancels = _cancellation.FindInterrupted();
        var (interrupted, stoppedByShutdown, queued) = await _batch.RecoverAsync(cancels, cancellationToken).ConfigureAwait(false);
        await _cancellation.FinishInterruptedAsync(cancels).ConfigureAwait(false);
        var resumed = _workflows.Resume();
        if (interrupted + queued + resumed > 0)
            RecoverySummary = $"Recovered: {interrupted} interrupted attempt(s) settled ({stoppedByShutdown} stopped by the local stack's shutdown, run again), {queued} job(s) queued again, {resumed} workflow execution(s) resumed.";
        _consumer.Start();
        _retention.Start();
        Started = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _retention.DisposeAsync().ConfigureAwait(false);
        await _consumer.DisposeAsync().ConfigureAwait(false);
        await _workflows.DisposeAsync().ConfigureAwait(false);
        await _batch.DisposeAsync().ConfigureAwait(false);
    }
}
