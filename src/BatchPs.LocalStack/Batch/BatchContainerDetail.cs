namespace BatchPs.LocalStack.Batch;

/// <summary>DescribeJobs' <c>container</c> (and an attempt's container): the command, exit code, log and reason.</summary>
internal sealed class BatchContainerDetail
{
    /// <summary>The command after <c>Ref::</c> substitution (job level only).</summary>
    public List<string>? Command { get; set; }
    public int? ExitCode { get; set; }
    /// <summary>Locally: the full path of the attempt's log file.</summary>
    public string? LogStreamName { get; set; }
    public string? Reason { get; set; }
}
