namespace BatchPs.Aws.StepFunctions;

/// <summary>The request of Step Functions <c>StartExecution</c>.</summary>
public sealed class StartExecutionRequest
{
    /// <summary>The state machine to run (mandatory).</summary>
    public string StateMachineArn { get; set; } = "";
    /// <summary>The execution name: 1-80 characters, unique per state machine for 90 days.</summary>
    public string? Name { get; set; }
    /// <summary>The execution input: a JSON text of at most 256 KiB.</summary>
    public string? Input { get; set; }
}
