using BatchPs.Core.Workflow;

namespace BatchPs.Aws.StepFunctions;

/// <summary>
/// Core's <see cref="IWorkflowStarter"/> on Step Functions: one execution per trigger, named
/// deterministically, so a replayed stream record finds the execution it already started
/// (<c>ExecutionAlreadyExists</c>, or success for identical input on a running execution).
/// </summary>
public sealed class StepFunctionsWorkflowStarter : IWorkflowStarter
{
    private readonly IStepFunctionsClient _client;
    private readonly string _stateMachineArn;

    /// <summary>Creates the starter for one state machine.</summary>
    public StepFunctionsWorkflowStarter(IStepFunctionsClient client, string stateMachineArn)
    {
        if (!stateMachineArn.StartsWith("arn:", StringComparison.Ordinal) || !stateMachineArn.Contains(":stateMachine:"))
            throw new ArgumentException($"'{stateMachineArn}' is not a state machine ARN (arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME).", nameof(stateMachineArn));
        _client = client;
        _stateMachineArn = stateMachineArn;
    }

    /// <inheritdoc />
    public async Task<WorkflowStart> StartAsync(string executionName, string inputJson, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.StartExecutionAsync(
                new StartExecutionRequest { StateMachineArn = _stateMachineArn, Name = executionName, Input = inputJson },
                cancellationToken).ConfigureAwait(false);
            return new WorkflowStart(response.ExecutionArn, alreadyStarted: false);
        }
        catch (ExecutionAlreadyExistsException)
        {
            return new WorkflowStart(StepFunctionsClient.ExecutionArn(_stateMachineArn, executionName), alreadyStarted: true);
        }
    }
}
