namespace BatchPs.StateMachine.Errors;

/// <summary>
/// The predefined error names of the Amazon States Language ("Errors" section of states-language.net and the
/// Step Functions developer guide, "Error names").
/// </summary>
public static class StatesErrors
{
    /// <summary>Wildcard matching any error name except the terminal ones (<see cref="Runtime"/>, <see cref="DataLimitExceeded"/>).</summary>
    public const string All = "States.ALL";
    /// <summary>A Task state failed; in Retry/Catch a wildcard matching any error except <see cref="Timeout"/>.</summary>
    public const string TaskFailed = "States.TaskFailed";
    /// <summary>A Task ran longer than TimeoutSeconds, or the execution ran longer than its TimeoutSeconds.</summary>
    public const string Timeout = "States.Timeout";
    /// <summary>An exception the interpreter could not process (bad path, wrong type); never retried nor caught.</summary>
    public const string Runtime = "States.Runtime";
    /// <summary>A Choice state matched no rule and has no Default.</summary>
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    /// <summary>ResultPath could not be applied to the state's input.</summary>
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    /// <summary>An intrinsic function failed.</summary>
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    /// <summary>Output larger than the service quota; terminal.</summary>
    public const string DataLimitExceeded = "States.DataLimitExceeded";

    /// <summary>True for errors that end the execution whatever the Retry and Catch fields say.</summary>
    public static bool IsTerminal(string error) => error == Runtime || error == DataLimitExceeded;

    /// <summary>
    /// Whether an ErrorEquals entry matches <paramref name="error"/>: exact name, <see cref="All"/> (any non-terminal
    /// error) or <see cref="TaskFailed"/> (any non-terminal error but <see cref="Timeout"/>).
    /// </summary>
    public static bool Matches(string pattern, string error)
    {
        if (IsTerminal(error))
        {
            return false;
        }
        return pattern switch
        {
            All => true,
            TaskFailed => error != Timeout,
            _ => string.Equals(pattern, error, StringComparison.Ordinal),
        };
    }
}
