namespace BatchPs.StateMachine.Runtime;

/// <summary>How an execution ended (the Step Functions ExecutionStatus names).</summary>
public enum ExecutionStatus
{
    /// <summary>Ended in a Succeed state or an End state.</summary>
    SUCCEEDED,
    /// <summary>Ended with an error no Catch handled.</summary>
    FAILED,
    /// <summary>Ran longer than the definition's TimeoutSeconds.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "Step Functions' status name, written out as is.")]
    TIMED_OUT,
    /// <summary>Stopped by a request (StopExecution; locally <see cref="ExecutionAbort"/>).</summary>
    ABORTED,
}
