namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// Where an execution's progress goes (the local stack stores it in SQLite): a checkpoint when it starts and after
/// every completed top-level state, then its result. The execution waits for each call.
/// </summary>
public interface IExecutionCheckpointSink
{
    /// <summary>Stores <paramref name="checkpoint"/>, replacing the execution's previous one.</summary>
    Task SaveAsync(ExecutionCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>The execution ended (succeeded, failed or timed out): <paramref name="result"/> has its full history.</summary>
    Task CompletedAsync(ExecutionResult result, CancellationToken cancellationToken);
}
