using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>An <see cref="ITaskResource"/> over a delegate.</summary>
internal sealed class DelegateTaskResource(Func<TaskInvocation, CancellationToken, Task<JsonNode?>> invoke) : ITaskResource
{
    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) =>
        invoke(invocation, cancellationToken);
}
