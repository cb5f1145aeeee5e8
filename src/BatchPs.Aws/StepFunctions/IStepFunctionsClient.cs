namespace BatchPs.Aws.StepFunctions;

/// <summary>
/// The part of Step Functions BatchPs calls. Named and shaped as AWSSDK.StepFunctions'
/// <c>IAmazonStepFunctions.StartExecutionAsync</c>, so the official client can replace this one
/// behind an adapter without touching callers.
/// </summary>
public interface IStepFunctionsClient
{
    /// <summary>
    /// Starts an execution. Throws <see cref="ExecutionAlreadyExistsException"/> when an execution of that
    /// name exists with another input or has ended (within 90 days); <see cref="AwsServiceException"/> otherwise.
    /// </summary>
    Task<StartExecutionResponse> StartExecutionAsync(StartExecutionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a running execution of a standard workflow (<c>StopExecution</c>) with an error and cause; Step Functions
    /// makes a best effort to stop the task it is running (for <c>batch:submitJob.sync</c>: TerminateJob). Returns when
    /// it was stopped. Throws <see cref="AwsServiceException"/> with <see cref="StepFunctionsClient.ExecutionDoesNotExist"/> when no
    /// execution has that ARN.
    /// </summary>
    Task<DateTimeOffset> StopExecutionAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken);
}
