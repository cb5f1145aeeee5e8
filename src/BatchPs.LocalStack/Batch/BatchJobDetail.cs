namespace BatchPs.LocalStack.Batch;

/// <summary>A job as AWS Batch's DescribeJobs returns it (the fields the local runner fills); times are epoch milliseconds.</summary>
internal sealed class BatchJobDetail
{
    public string JobId { get; set; } = "";
    public string JobName { get; set; } = "";
    public string JobQueue { get; set; } = "";
    public string JobDefinition { get; set; } = "";
    public string Status { get; set; } = BatchJobStatus.Submitted;
    public string? StatusReason { get; set; }
    public long CreatedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? StoppedAt { get; set; }
    public List<BatchAttemptDetail> Attempts { get; set; } = new();
    public BatchContainerDetail Container { get; set; } = new();
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
    public string? ShareIdentifier { get; set; }
    public int? SchedulingPriority { get; set; }
    public BatchArrayProperties? ArrayProperties { get; set; }
    public JobTimeout? Timeout { get; set; }
    public BatchPs.Core.Catalog.RetryStrategy? RetryStrategy { get; set; }

    /// <summary>Attempts allowed in all (the retry strategy's, at least 1).</summary>
    public int MaxAttempts => Math.Max(1, RetryStrategy?.Attempts ?? 1);
}
