using BatchPs.Aws;
using BatchPs.Aws.StepFunctions;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// Stops the workflow of a trigger that <c>POST /triggers/{id}/cancel</c> made CANCELLED (the stream's MODIFY to
/// CANCELLED): Step Functions <c>StopExecution</c> of the record's execution (or, before the record names it, the
/// execution its deterministic name gives). Stopping an execution that runs <c>batch:submitJob.sync</c> makes Step
/// Functions terminate the Batch job (Step Functions developer guide, "Run a Job (.sync)":
/// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync). An execution that does
/// not exist yet needs nothing: when it starts, its first status write finds the record final and it ends without
/// submitting the job ("Not run").
/// </summary>
public sealed class CancelledTriggerHandler
{
    /// <summary>The error the stopped execution ends with.</summary>
    public const string StopError = "BatchPs.Cancelled";

    private readonly IStepFunctionsClient _client;
    private readonly string _stateMachineArn;

    /// <summary>Creates the handler for the trigger state machine.</summary>
    public CancelledTriggerHandler(IStepFunctionsClient client, string stateMachineArn)
    {
        _client = client;
        _stateMachineArn = stateMachineArn;
    }

    /// <summary>Stops the trigger's execution; false when there was none to stop. Other failures throw (the record is retried).</summary>
    public async Task<bool> HandleAsync(TriggerRecord trigger, CancellationToken cancellationToken)
    {
        if (trigger.Status != TriggerStatus.CANCELLED)
            throw new ArgumentException($"Trigger {trigger.TriggerId} is {trigger.Status}, not CANCELLED.", nameof(trigger));
        var execution = TriggerExecutions.ArnOf(trigger, _stateMachineArn);
        try
        {
            await _client.StopExecutionAsync(execution, StopError, trigger.StatusReason, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == StepFunctionsClient.ExecutionDoesNotExist)
        {
            return false;
        }
    }
}
