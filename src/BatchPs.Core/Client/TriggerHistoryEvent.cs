using System;

namespace BatchPs.Core.Client;

/// <summary>One execution history event, named as Step Functions names them (TaskStateEntered, TaskSucceeded, ExecutionFailed...).</summary>
public sealed class TriggerHistoryEvent
{
    /// <summary>1-based sequence number.</summary>
    public long Id { get; set; }
    /// <summary>When it happened (UTC).</summary>
    public DateTimeOffset Timestamp { get; set; }
    /// <summary>The event type.</summary>
    public string Type { get; set; } = "";
    /// <summary>The state it concerns, if any.</summary>
    public string? StateName { get; set; }
    /// <summary>The state or execution input, as JSON text.</summary>
    public string? Input { get; set; }
    /// <summary>The state or execution output, as JSON text.</summary>
    public string? Output { get; set; }
    /// <summary>The error name of a failure event.</summary>
    public string? Error { get; set; }
    /// <summary>The cause of a failure event.</summary>
    public string? Cause { get; set; }
    /// <summary>The Task resource, for Task events.</summary>
    public string? Resource { get; set; }
}
