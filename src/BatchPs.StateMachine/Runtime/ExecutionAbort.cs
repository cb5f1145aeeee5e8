namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// A way to stop one running execution, as StopExecution does: <see cref="Request"/> ends it <c>ABORTED</c> with an
/// <c>ExecutionAborted</c> event carrying the error and cause; the running state's task is cancelled. Unlike the
/// cancellation token of <see cref="StateMachineInterpreter.StartAsync"/> (a host stop, resumable), an abort is final.
/// </summary>
public sealed class ExecutionAbort : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly object _gate = new();

    /// <summary>Cancelled when the abort is requested.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The error of the abort (StopExecution's error); null while not requested.</summary>
    public string? Error { get; private set; }

    /// <summary>The cause of the abort (StopExecution's cause).</summary>
    public string? Cause { get; private set; }

    /// <summary>True once requested.</summary>
    public bool IsRequested => _source.IsCancellationRequested;

    /// <summary>Requests the abort (the first error and cause stay).</summary>
    public void Request(string? error, string? cause)
    {
        lock (_gate)
        {
            if (_source.IsCancellationRequested) return;
            Error = error;
            Cause = cause;
        }
        _source.Cancel();
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
