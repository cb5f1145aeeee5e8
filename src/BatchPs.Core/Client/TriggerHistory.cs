using System.Collections.Generic;

namespace BatchPs.Core.Client;

/// <summary>
/// A trigger's workflow execution history (<c>GET /triggers/{id}/history</c>): the states entered and
/// exited with their input and output, and the state transitions counted as Step Functions bills them.
/// </summary>
public sealed class TriggerHistory
{
    /// <summary>The trigger.</summary>
    public string TriggerId { get; set; } = "";
    /// <summary>The execution; null when the trigger has none (yet).</summary>
    public string? ExecutionId { get; set; }
    /// <summary>RUNNING, SUCCEEDED, FAILED or TIMED_OUT; null when there is no execution.</summary>
    public string? Status { get; set; }
    /// <summary>State transitions so far.</summary>
    public int TransitionCount { get; set; }
    /// <summary>The events, oldest first.</summary>
    public IReadOnlyList<TriggerHistoryEvent> Events { get; set; } = new List<TriggerHistoryEvent>();
}
