namespace BatchPs.StateMachine.Model;

/// <summary>A set of states with a start: the top level of a definition, a Parallel branch, or a Map's ItemProcessor.</summary>
public sealed class StateSet
{
    /// <summary>Creates the set.</summary>
    public StateSet(string startAt, IReadOnlyDictionary<string, State> states)
    {
        StartAt = startAt;
        States = states;
    }

    /// <summary>The name of the first state.</summary>
    public string StartAt { get; }

    /// <summary>The states, by name.</summary>
    public IReadOnlyDictionary<string, State> States { get; }
}
