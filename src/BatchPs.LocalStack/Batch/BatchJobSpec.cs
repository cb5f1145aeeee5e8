namespace BatchPs.LocalStack.Batch;

/// <summary>What the local runner needs beyond the DescribeJobs detail: the process environment and folder, and the running attempt.</summary>
internal sealed class BatchJobSpec
{
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);
    public string? WorkingDirectory { get; set; }
    /// <summary>When the attempt in progress started (epoch ms), or null.</summary>
    public long? AttemptStartedAt { get; set; }
    /// <summary>The process id of the attempt in progress.</summary>
    public int? Pid { get; set; }
    /// <summary>The start time (UTC ticks) of that process, to tell it from a later process with the same id.</summary>
    public long? PidStartedAt { get; set; }
    /// <summary>
    /// When the local stack's own stop (shutdown) killed the attempt in progress (epoch ms), or null: the next start runs
    /// that attempt again without counting it (<see cref="JobRecovery"/>).
    /// </summary>
    public long? StoppedByShutdownAt { get; set; }
}
