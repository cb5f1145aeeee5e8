using BatchPs.Admin.Stacks;

namespace BatchPs.Admin.Aws.CloudFormation;

/// <summary>What DescribeChangeSet answered (all pages of changes).</summary>
internal sealed class ChangeSetDescription
{
    public string ChangeSetId { get; set; } = "";
    public string StackId { get; set; } = "";
    /// <summary><c>CREATE_PENDING</c>, <c>CREATE_IN_PROGRESS</c>, <c>CREATE_COMPLETE</c>, <c>FAILED</c> ...</summary>
    public string Status { get; set; } = "";
    public string? StatusReason { get; set; }
    /// <summary><c>UNAVAILABLE</c>, <c>AVAILABLE</c>, <c>EXECUTE_*</c>, <c>OBSOLETE</c>.</summary>
    public string? ExecutionStatus { get; set; }
    public List<StackChangeInfo> Changes { get; set; } = new();

    /// <summary>
    /// True when the change set failed only because nothing would change. CloudFormation says so with
    /// "The submitted information didn't contain changes..." or, for some updates, "No updates are to be performed."
    /// </summary>
    public bool IsNoChanges =>
        Status == "FAILED" && StatusReason is { } reason
        && (reason.IndexOf("didn't contain changes", StringComparison.OrdinalIgnoreCase) >= 0
            || reason.IndexOf("No updates are to be performed", StringComparison.OrdinalIgnoreCase) >= 0);
}
