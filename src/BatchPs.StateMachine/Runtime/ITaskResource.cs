using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// What a Task state's Resource ARN runs. The local stack registers <c>batch:submitJob.sync</c> and the DynamoDB
/// integrations; tests register their own. To fail the task with a named error, throw
/// <see cref="Errors.StatesErrorException"/>; any other exception fails it with States.TaskFailed and the
/// exception's message as Cause. Honour the cancellation token: it fires on TimeoutSeconds, on a failed sibling
/// branch and on shutdown.
/// </summary>
public interface ITaskResource
{
    /// <summary>Runs the task; the result is the task's raw result (before ResultSelector/ResultPath).</summary>
    Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}
