namespace BatchPs.LocalStack.Batch;

/// <summary>How an attempt's process ended.</summary>
internal enum JobProcessEnd
{
    /// <summary>It exited by itself.</summary>
    Exited,
    /// <summary>It ran past the attempt timeout; its tree was killed.</summary>
    TimedOut,
    /// <summary>The local stack is stopping; its tree was killed and the attempt is left for the restart to settle.</summary>
    Interrupted,
    /// <summary>The job was terminated (its trigger cancelled); its tree was killed at once and the attempt fails.</summary>
    Terminated,
}
