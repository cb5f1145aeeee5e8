namespace BatchPs.StateMachine.Runtime;

/// <summary>How an interpreter runs: its clock, its checkpoint sink and the names it puts in the context object.</summary>
public sealed class InterpreterOptions
{
    /// <summary>The clock for Wait, TimeoutSeconds, retry delays and timestamps (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives a checkpoint at the start and after every completed top-level state, and the result; or null.</summary>
    public IExecutionCheckpointSink? CheckpointSink { get; init; }

    /// <summary>The state machine name (in <c>$$.StateMachine</c> and execution ids).</summary>
    public string StateMachineName { get; init; } = "local";

    /// <summary>The region and account used to form ARNs.</summary>
    public string ArnPrefix { get; init; } = "arn:aws:states:local:000000000000";

    /// <summary>
    /// Which exceptions of a Task resource are failures of the host's own bookkeeping (its database could not write,
    /// its disk is full), not outcomes of the task: such an exception is neither States.TaskFailed nor retried or caught
    /// by the definition; it ends the run (it propagates out of StartAsync/ResumeAsync, nothing is recorded for it),
    /// so the host resumes the execution from its last checkpoint once it can store again. Null: none.
    /// </summary>
    public Func<Exception, bool>? IsHostFailure { get; init; }

    /// <summary>The source of JitterStrategy FULL's randomness.</summary>
    public Random Random { get; init; } = Random.Shared;
}
