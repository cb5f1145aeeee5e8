namespace BatchPs.StateMachine.Loading;

/// <summary>
/// A definition that cannot be loaded: malformed JSON, a structural error, or a feature this interpreter refuses
/// (JSONata, activities, callbacks, unregistered resources). The message names the state and says how to fix it.
/// </summary>
public sealed class DefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DefinitionException(string message, string? location = null, Exception? inner = null)
        : base(location is null ? message : location + ": " + message, inner)
    {
        Location = location;
    }

    /// <summary>Where the problem is, e.g. <c>State "Submit job" (States.Submit job)</c>, or null for the whole definition.</summary>
    public string? Location { get; }
}
