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
}
