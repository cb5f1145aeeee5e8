namespace BatchPs.LocalStack.Batch;

/// <summary>One finished attempt, as in DescribeJobs' <c>attempts</c>.</summary>
internal sealed class BatchAttemptDetail
{
    public BatchContainerDetail Container { get; set; } = new();
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public string? StatusReason { get; set; }
}
