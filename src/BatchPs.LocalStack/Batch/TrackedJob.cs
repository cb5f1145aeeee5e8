using System.Text.Json;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// A job the runner owns while it is not final. Only its run loop changes <see cref="Detail"/>;
/// everyone else reads immutable JSON snapshots published after each change.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The cancellation source has no timer and no registrations outlive the job: nothing to release, and disposing it would race a late Cancel.")]
internal sealed class TrackedJob
{
    private readonly object _gate = new();
    private string _snapshot;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _terminated = new();

    public TrackedJob(BatchJobDetail detail, BatchJobSpec spec)
    {
        Detail = detail;
        Spec = spec;
        _snapshot = JsonSerializer.Serialize(detail, LocalJson.Options);
    }

    /// <summary>The live detail; only the job's run loop touches it.</summary>
    public BatchJobDetail Detail { get; }

    /// <summary>The live spec; only the job's run loop touches it.</summary>
    public BatchJobSpec Spec { get; }

    public string JobId => Detail.JobId;

    /// <summary>For an array job's parent: its children's statuses; null otherwise.</summary>
    public ArrayParentState? Array { get; set; }

    /// <summary>For an array child: its parent's state, told of every status change; null otherwise.</summary>
    public ArrayParentState? Parent { get; set; }

    /// <summary>Cancelled when the job is terminated (TerminateJob): its run loop kills a running attempt at once and ends it FAILED.</summary>
    public CancellationToken Terminated => _terminated.Token;

    /// <summary>Why the job was terminated; null while it was not.</summary>
    public string? TerminationReason { get; private set; }

    /// <summary>Terminates the job (the first reason stays); its run loop does the rest.</summary>
    public void Terminate(string reason)
    {
        lock (_gate)
        {
            if (TerminationReason is not null) return;
            TerminationReason = reason;
        }
        _terminated.Cancel();
    }

    /// <summary>The current detail as JSON.</summary>
    public string Serialize() => JsonSerializer.Serialize(Detail, LocalJson.Options);

    /// <summary>Publishes a detail serialized by <see cref="Serialize"/> (once stored) to readers and wakes watchers.</summary>
    public void Publish(string json)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _snapshot = json;
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    /// <summary>The last published detail and a task that completes at the next publish.</summary>
    public (string Json, Task Changed) Snapshot()
    {
        lock (_gate) return (_snapshot, _changed.Task);
    }
}
