namespace BatchPs.LocalStack.Batch;

/// <summary>DescribeJobs' <c>arrayProperties</c>: size and child counts for a parent, index for a child.</summary>
internal sealed class BatchArrayProperties
{
    public int? Size { get; set; }
    public int? Index { get; set; }
    public Dictionary<string, int>? StatusSummary { get; set; }
}
