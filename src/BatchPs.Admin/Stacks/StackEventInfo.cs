namespace BatchPs.Admin.Stacks;

/// <summary>One CloudFormation stack event, as DescribeStackEvents reports it.</summary>
public sealed class StackEventInfo
{
    /// <summary>The event id.</summary>
    public string EventId { get; set; } = "";
    /// <summary>When it happened (UTC).</summary>
    public DateTime Timestamp { get; set; }
    /// <summary>The resource's logical id in the template (the stack name for the stack itself).</summary>
    public string LogicalResourceId { get; set; } = "";
    /// <summary>The resource's physical id, once it has one.</summary>
    public string? PhysicalResourceId { get; set; }
    /// <summary>The resource type (e.g. <c>AWS::DynamoDB::Table</c>).</summary>
    public string ResourceType { get; set; } = "";
    /// <summary>The status (e.g. <c>CREATE_IN_PROGRESS</c>, <c>CREATE_FAILED</c>).</summary>
    public string ResourceStatus { get; set; } = "";
    /// <summary>CloudFormation's reason, for failures the cause.</summary>
    public string? ResourceStatusReason { get; set; }

    /// <summary>True for a failure event of a resource (not a cancellation caused by another failure).</summary>
    public bool IsRootFailure =>
        ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal)
        && !(ResourceStatusReason ?? "").StartsWith("Resource creation cancelled", StringComparison.OrdinalIgnoreCase)
        && !(ResourceStatusReason ?? "").StartsWith("Resource update cancelled", StringComparison.OrdinalIgnoreCase);

    /// <summary>One line: time, status, type, logical id and reason.</summary>
    public override string ToString() =>
        $"{Timestamp:HH:mm:ss} {ResourceStatus,-28} {ResourceType} {LogicalResourceId}" + (string.IsNullOrEmpty(ResourceStatusReason) ? "" : $": {ResourceStatusReason}");
}
