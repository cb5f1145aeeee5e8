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

    /// <summary>The source of JitterStrategy FULL's randomness.</summary>
    public Random Random { get; init; } = Random.Shared;
}
