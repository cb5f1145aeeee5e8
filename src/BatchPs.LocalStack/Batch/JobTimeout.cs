namespace BatchPs.LocalStack.Batch;

/// <summary>AWS Batch's JobTimeout: the limit of one attempt.</summary>
internal sealed class JobTimeout
{
    public int? AttemptDurationSeconds { get; set; }
}
