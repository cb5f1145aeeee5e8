namespace BatchPs.StateMachine.Runtime;

/// <summary>Receives a checkpoint after every completed top-level state (the local stack stores it in SQLite).</summary>
public interface IExecutionCheckpointSink
{
    /// <summary>Stores <paramref name="checkpoint"/>, replacing the execution's previous one. The execution waits for it.</summary>
    Task SaveAsync(ExecutionCheckpoint checkpoint, CancellationToken cancellationToken);
}
