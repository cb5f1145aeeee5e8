using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// The Task resources an interpreter may call, keyed by exact Resource ARN (e.g.
/// <c>arn:aws:states:::batch:submitJob.sync</c>). A definition naming any other resource is refused at load time.
/// </summary>
public sealed class TaskResourceRegistry
{
    private readonly Dictionary<string, ITaskResource> _resources = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="resource"/> under <paramref name="arn"/> (replacing any previous one).</summary>
    public TaskResourceRegistry Add(string arn, ITaskResource resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(arn);
        _resources[arn] = resource ?? throw new ArgumentNullException(nameof(resource));
        return this;
    }

    /// <summary>Registers a delegate under <paramref name="arn"/>.</summary>
    public TaskResourceRegistry Add(string arn, Func<TaskInvocation, CancellationToken, Task<JsonNode?>> invoke) =>
        Add(arn, new DelegateTaskResource(invoke));

    /// <summary>The resource registered under <paramref name="arn"/>.</summary>
    public bool TryGet(string arn, out ITaskResource resource) => _resources.TryGetValue(arn, out resource!);

    /// <summary>The registered ARNs, sorted.</summary>
    public IReadOnlyList<string> Arns => _resources.Keys.Order(StringComparer.Ordinal).ToList();
}
