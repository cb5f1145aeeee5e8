using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// Optionally implemented by an <see cref="ITaskResource"/> to check a Task state's Parameters at load time, as
/// Step Functions does when a state machine is created (e.g. <c>batch:submitJob.sync</c> needs JobName, JobQueue
/// and JobDefinition). A problem found here refuses the definition with a message naming the state.
/// </summary>
public interface ITaskParametersValidator
{
    /// <summary>
    /// The problems with <paramref name="parameters"/> — the state's Parameters as written, so a field may appear as
    /// <c>"JobName"</c> or <c>"JobName.$"</c>; null when the state has no Parameters. Empty when all is well.
    /// </summary>
    IReadOnlyList<string> Validate(JsonNode? parameters);
}
