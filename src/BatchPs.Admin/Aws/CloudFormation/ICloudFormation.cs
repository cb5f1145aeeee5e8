using BatchPs.Admin.Stacks;

namespace BatchPs.Admin.Aws.CloudFormation;

/// <summary>
/// The CloudFormation calls the deployer makes, shaped after the API (and AWSSDK.CloudFormation's
/// client) so the official package can replace <see cref="CloudFormationClient"/> without touching callers.
/// </summary>
internal interface ICloudFormation
{
    /// <summary>DescribeStacks for one stack; null when it does not exist.</summary>
    Task<StackInfo?> DescribeStackAsync(string stackName, CancellationToken cancellationToken);
    /// <summary>CreateChangeSet; returns the change set's id (ARN) and the stack id.</summary>
    Task<(string ChangeSetId, string StackId)> CreateChangeSetAsync(ChangeSetRequest request, CancellationToken cancellationToken);
    /// <summary>DescribeChangeSet, every page of changes.</summary>
    Task<ChangeSetDescription> DescribeChangeSetAsync(string changeSetId, CancellationToken cancellationToken);
    /// <summary>ExecuteChangeSet.</summary>
    Task ExecuteChangeSetAsync(string changeSetId, CancellationToken cancellationToken);
    /// <summary>DeleteChangeSet.</summary>
    Task DeleteChangeSetAsync(string changeSetId, CancellationToken cancellationToken);
    /// <summary>One page of DescribeStackEvents (newest first) and the next page's token.</summary>
    Task<(IReadOnlyList<StackEventInfo> Events, string? NextToken)> DescribeStackEventsAsync(string stackName, string? nextToken, CancellationToken cancellationToken);
    /// <summary>DeleteStack (returns at once; the deletion runs on).</summary>
    Task DeleteStackAsync(string stackName, CancellationToken cancellationToken);
}
