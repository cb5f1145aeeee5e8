namespace BatchPs.LocalStack.Batch;

/// <summary>AWS Batch's job statuses, as the local runner moves through them.</summary>
internal static class BatchJobStatus
{
    public const string Submitted = "SUBMITTED";
    public const string Pending = "PENDING";
    public const string Runnable = "RUNNABLE";
    public const string Starting = "STARTING";
    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";

    /// <summary>True for SUCCEEDED and FAILED.</summary>
    public static bool IsFinal(string status) => status is Succeeded or Failed;
}
