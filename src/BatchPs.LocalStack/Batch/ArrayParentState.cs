namespace BatchPs.LocalStack.Batch;

/// <summary>The children's statuses of an array job, as its parent's run loop sees them; children report each change.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Its SemaphoreSlim holds nothing to dispose: AvailableWaitHandle is never used.")]
internal sealed class ArrayParentState
{
    private static readonly string[] AllStatuses =
    {
        BatchJobStatus.Submitted, BatchJobStatus.Pending, BatchJobStatus.Runnable, BatchJobStatus.Starting,
        BatchJobStatus.Running, BatchJobStatus.Succeeded, BatchJobStatus.Failed,
    };

    private readonly string[] _statuses;
    private readonly SemaphoreSlim _changed = new(0, 1);

    public ArrayParentState(string[] statuses) => _statuses = statuses;

    public int Size => _statuses.Length;

    /// <summary>Records a child's new status and wakes the parent.</summary>
    public void Set(int index, string status)
    {
        lock (_statuses) _statuses[index] = status;
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // The parent is already due to look.
        }
    }

    /// <summary>Child counts by status (every Batch status, as DescribeJobs' statusSummary).</summary>
    public Dictionary<string, int> Summary()
    {
        var summary = AllStatuses.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        lock (_statuses)
        {
            foreach (var status in _statuses) summary[status]++;
        }
        return summary;
    }

    /// <summary>Completes at the next child change (or at once when one happened since the last wait).</summary>
    public Task WaitForChangeAsync(CancellationToken cancellationToken) => _changed.WaitAsync(cancellationToken);
}
