namespace BatchPs.StateMachine.Model;

/// <summary>A loaded and validated state machine definition (JSONPath query language only).</summary>
public sealed class StateMachineDefinition
{
    /// <summary>Creates the definition.</summary>
    public StateMachineDefinition(StateSet root, int? timeoutSeconds, string? comment)
    {
        Root = root;
        TimeoutSeconds = timeoutSeconds;
        Comment = comment;
    }

    /// <summary>The top-level states.</summary>
    public StateSet Root { get; }

    /// <summary>The execution's TimeoutSeconds, or null for none.</summary>
    public int? TimeoutSeconds { get; }

    /// <summary>The definition's Comment.</summary>
    public string? Comment { get; }
}
