using BatchPs.LocalStack.Storage;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Feed;

/// <summary>
/// The local counterpart of the DynamoDB stream and its Lambda: reads inserted triggers in sequence
/// order from a durable checkpoint and hands each to the shared <see cref="TriggerHandler"/>.
/// Woken on every commit (no polling delay). A batch is handled concurrently; the checkpoint moves
/// past it only when every entry succeeded (stored when idle, else at most every 200 ms), so a
/// failure or a crash replays entries, and the handler's replays are harmless (deterministic
/// execution names, forward-only writes).
/// </summary>
internal sealed class ChangeFeedConsumer : IAsyncDisposable
{
    /// <summary>The checkpoint's name.</summary>
    public const string ConsumerName = "trigger-handler";

    private int _disposed;
    private const int BatchSize = 256;
    private const long SaveIntervalMs = 200;
    private const int PoisonAfterFailures = 5;

    private readonly TriggerStore _store;
    private readonly TriggerHandler _handler;
    private readonly ITriggerStatusWriter _status;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public ChangeFeedConsumer(TriggerStore store, TriggerHandler handler, ILogger logger)
    {
        _store = store;
        _status = store;
        _handler = handler;
        _logger = logger;
        _store.Inserted += Wake;
    }

    /// <summary>Starts reading from the checkpoint (entries a stop or crash left unhandled come first).</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _store.Inserted -= Wake;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _signal.Dispose();
    }

    private void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        var checkpoint = _store.ReadCheckpoint(ConsumerName);
        var saved = checkpoint;
        var lastSave = Environment.TickCount64;
        var delay = new RetryDelay();
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var entries = _store.ReadFeed(checkpoint, BatchSize);
                if (entries.Count == 0)
                {
                    // Idle: store the position now. Under load, at most every SaveInterval (a replay after a crash is harmless).
                    if (saved != checkpoint)
                    {
                        await _store.SaveCheckpointAsync(ConsumerName, checkpoint).ConfigureAwait(false);
                        saved = checkpoint;
                        lastSave = Environment.TickCount64;
                        continue;
                    }
                    await _signal.WaitAsync(stopping).ConfigureAwait(false);
                    continue;
                }
                await Task.WhenAll(entries.Select(e => HandleAsync(e, failures >= PoisonAfterFailures, stopping))).ConfigureAwait(false);
                checkpoint = entries[^1].Sequence;
                failures = 0;
                if (Environment.TickCount64 - lastSave >= SaveIntervalMs)
                {
                    await _store.SaveCheckpointAsync(ConsumerName, checkpoint).ConfigureAwait(false);
                    saved = checkpoint;
                    lastSave = Environment.TickCount64;
                }
                delay.Reset();
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                _logger.LogError(ex, "The change feed consumer failed after sequence {Sequence}; retrying in {Delay} ms.", checkpoint, delay.Next.TotalMilliseconds);
                try
                {
                    await delay.WaitAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Hands one entry to the handler. After repeated failures of its batch, an entry that still
    /// fails is marked FAILED with the reason (a poison record must not block every later trigger);
    /// when even that write fails, the batch is retried.
    /// </summary>
    private async Task HandleAsync(FeedEntry entry, bool giveUpOnFailure, CancellationToken stopping)
    {
        try
        {
            await _handler.HandleAsync(entry.Record, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (giveUpOnFailure && !stopping.IsCancellationRequested)
        {
            _logger.LogError(ex, "Trigger {TriggerId} could not be handled after {Attempts} tries; marking it FAILED.", entry.Record.TriggerId, PoisonAfterFailures + 1);
            await _status.ApplyAsync(new TriggerUpdate(entry.Record.TriggerId, TriggerStatus.FAILED)
            {
                StatusReason = "The local stack could not start this trigger's workflow: " + ex.Message,
                StoppedAt = DateTimeOffset.UtcNow,
            }, stopping).ConfigureAwait(false);
        }
    }
}
