using BatchPs.Aws.StepFunctions;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>Which Step Functions execution is a trigger's.</summary>
internal static class TriggerExecutions
{
    /// <summary>
    /// The record's execution ARN, or, before the record names one, the ARN its deterministic name gives
    /// (<see cref="ExecutionNames.ForTrigger"/>): an execution that may not exist yet.
    /// </summary>
    public static string ArnOf(TriggerRecord trigger, string stateMachineArn) =>
        trigger.ExecutionId is { Length: > 0 } known && known.StartsWith("arn:", StringComparison.Ordinal)
            ? known
            : StepFunctionsClient.ExecutionArn(stateMachineArn, ExecutionNames.ForTrigger(trigger.TriggerId));
}
