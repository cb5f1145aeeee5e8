namespace BatchPs.StateMachine.Errors;

/// <summary>
/// A named ASL error raised while running a state: what Retry and Catch match, and what a failed execution reports.
/// Task resources throw it to fail a task with a given error name and cause.
/// </summary>
public sealed class StatesErrorException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="error">The error name, e.g. <c>States.TaskFailed</c>.</param>
    /// <param name="cause">The human-readable cause (for a Batch job: its DescribeJobs detail as JSON).</param>
    /// <param name="inner">The exception that led to it, if any.</param>
    public StatesErrorException(string error, string? cause, Exception? inner = null)
        : base(error + (string.IsNullOrEmpty(cause) ? "" : ": " + cause), inner)
    {
        Error = error;
        Cause = cause;
    }

    /// <summary>The error name.</summary>
    public string Error { get; }

    /// <summary>The cause, or null.</summary>
    public string? Cause { get; }

    /// <summary>Shorthand for a <see cref="StatesErrors.Runtime"/> error.</summary>
    public static StatesErrorException Runtime(string cause) => new(StatesErrors.Runtime, cause);

    /// <summary>Shorthand for a <see cref="StatesErrors.IntrinsicFailure"/> error.</summary>
    public static StatesErrorException Intrinsic(string cause) => new(StatesErrors.IntrinsicFailure, cause);
}
