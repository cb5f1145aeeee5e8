namespace BatchPs.Aws.StepFunctions;

/// <summary>The answer of Step Functions <c>StartExecution</c>.</summary>
public sealed class StartExecutionResponse
{
    /// <summary>Creates the answer.</summary>
    public StartExecutionResponse(string executionArn, DateTimeOffset startDate)
    {
        ExecutionArn = executionArn;
        StartDate = startDate;
    }

    /// <summary>The ARN of the execution.</summary>
    public string ExecutionArn { get; }
    /// <summary>When the execution started.</summary>
    public DateTimeOffset StartDate { get; }
}
