namespace BatchPs.Admin.Stacks;

/// <summary>
/// A stack operation failed or rolled back, or the stack is in a state that forbids it. Names the
/// failing resource and CloudFormation's reason when there is one.
/// </summary>
public sealed class StackOperationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StackOperationException(string message, string stackName, string? stackStatus, StackEventInfo? failure = null)
        : base(message)
    {
        StackName = stackName;
        StackStatus = stackStatus;
        Failure = failure;
    }

    /// <summary>The stack.</summary>
    public string StackName { get; }
    /// <summary>The stack's status at the end (e.g. <c>ROLLBACK_COMPLETE</c>), when known.</summary>
    public string? StackStatus { get; }
    /// <summary>The first resource failure event, when there was one.</summary>
    public StackEventInfo? Failure { get; }
    /// <summary>The failing resource's logical id.</summary>
    public string? FailedResource => Failure?.LogicalResourceId;
    /// <summary>CloudFormation's reason for the failure.</summary>
    public string? Reason => Failure?.ResourceStatusReason;
}
