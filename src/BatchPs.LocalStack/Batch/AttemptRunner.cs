using System.Globalization;
using BatchPs.Core.Workflow;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// Runs a job's attempts as local processes: STARTING is committed before the process starts (so a restart always
/// knows an attempt may have been running), RUNNING once it runs, then the attempt ends with its exit code, the
/// attempt timeout, or a start failure, and the job moves on per its retry strategy. One log file per attempt.
/// </summary>
internal sealed class AttemptRunner
{
    /// <summary>AWS Batch's status reason for an attempt that ran past its timeout.</summary>
    public const string TimeoutReason = "Job attempt duration exceeded timeout";

    private readonly JobStatusChanges _status;
    private readonly string _logDirectory;

    public AttemptRunner(JobStatusChanges status, string dataDirectory)
    {
        _status = status;
        _logDirectory = Path.Combine(dataDirectory, "logs");
    }

    /// <summary>The log folder of a job (an array child's is inside its parent's).</summary>
    public string LogFolder(string jobId) => Path.Combine(new[] { _logDirectory }.Concat(jobId.Split(':')).ToArray());

    /// <summary>AWS Batch's start of the status reason of a job that TerminateJob ended.</summary>
    public const string TerminatedReason = "Terminated";

    /// <summary>Runs one attempt; true when another attempt follows.</summary>
    public async Task<bool> RunAsync(TrackedJob job, CancellationToken stopping)
    {
        var detail = job.Detail;
        if (job.TerminationReason is not null) return await EndTerminatedAsync(job).ConfigureAwait(false);
        var attempt = detail.Attempts.Count + 1;
        var logPath = Path.Combine(LogFolder(detail.JobId), $"attempt-{attempt}.log");
        job.Spec.AttemptStartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        detail.Container.LogStreamName = logPath;
        await _status.SetAsync(job, BatchJobStatus.Starting, $"Starting attempt {attempt} of {detail.MaxAttempts}.").ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();

        JobProcess process;
        try
        {
            process = JobProcess.Start(detail.Container.Command!, Environment(job, attempt), job.Spec.WorkingDirectory, logPath);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            var reason = $"Cannot start the job's process '{detail.Container.Command![0]}': {ex.Message}";
            return await EndAsync(job, exitCode: null, reason, "CannotStartContainerError: " + ex.Message).ConfigureAwait(false);
        }

        using (process)
        {
            try
            {
                var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                job.Spec.AttemptStartedAt = started;
                job.Spec.Pid = process.Id;
                job.Spec.PidStartedAt = process.StartTimeUtc.Ticks;
                detail.StartedAt ??= started;
                await _status.SetAsync(job, BatchJobStatus.Running, $"Attempt {attempt} of {detail.MaxAttempts} is running (process {process.Id}).").ConfigureAwait(false);

                var (end, exitCode) = await process.WaitAsync(detail.Timeout?.AttemptDurationSeconds, stopping, job.Terminated).ConfigureAwait(false);
                switch (end)
                {
                    case JobProcessEnd.Interrupted:
                        throw new OperationCanceledException(stopping);
                    case JobProcessEnd.Terminated:
                        return await EndAsync(job, exitCode, $"{TerminatedReason}: {job.TerminationReason} The process tree was killed.", containerReason: null).ConfigureAwait(false);
                    case JobProcessEnd.TimedOut:
                        return await EndAsync(job, exitCode,
                            $"{TimeoutReason} ({detail.Timeout!.AttemptDurationSeconds} s): the process tree was killed.", containerReason: null).ConfigureAwait(false);
                    default:
                        return await EndAsync(job, exitCode,
                            exitCode == 0 ? "The job's process exited with code 0." : $"The job's process exited with code {exitCode}; see its log '{logPath}'.", containerReason: null).ConfigureAwait(false);
                }
            }
            catch
            {
                // Whatever went wrong, the attempt's processes must not outlive it.
                process.KillTree();
                throw;
            }
        }
    }

    /// <summary>Records a finished attempt and moves the job on: SUCCEEDED, RUNNABLE (retry) or FAILED. True when it retries.</summary>
    public async Task<bool> EndAsync(TrackedJob job, int? exitCode, string statusReason, string? containerReason)
    {
        var detail = job.Detail;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        detail.Attempts.Add(new BatchAttemptDetail
        {
            Container = new BatchContainerDetail { ExitCode = exitCode, LogStreamName = detail.Container.LogStreamName, Reason = containerReason },
            StartedAt = job.Spec.AttemptStartedAt ?? now,
            StoppedAt = now,
            StatusReason = statusReason,
        });
        detail.Container.ExitCode = exitCode;
        detail.Container.Reason = containerReason;
        job.Spec.AttemptStartedAt = null;
        job.Spec.Pid = null;
        job.Spec.PidStartedAt = null;

        if (exitCode == 0)
        {
            detail.StoppedAt = now;
            await _status.SetAsync(job, BatchJobStatus.Succeeded, statusReason).ConfigureAwait(false);
            return false;
        }
        var attempts = detail.Attempts.Count;
        if (job.TerminationReason is null && RetryRules.ShouldRetry(detail.RetryStrategy, attempts, exitCode, statusReason, containerReason))
        {
            await _status.SetAsync(job, BatchJobStatus.Runnable, $"Attempt {attempts} of {detail.MaxAttempts} failed ({statusReason}); retrying.").ConfigureAwait(false);
            return true;
        }
        detail.StoppedAt = now;
        var summary = attempts > 1 ? $"All {attempts} attempts failed; the last: {statusReason}" : statusReason;
        await _status.SetAsync(job, BatchJobStatus.Failed, summary).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Notes that the local stack's stop (shutdown) interrupted the job's attempt, once its processes are gone: a line in
    /// the attempt's log and a durable marker in the job's spec, so the next start runs the attempt again instead of
    /// taking it for one that failed (see <see cref="JobRecovery"/>). One try each: the stack is stopping.
    /// </summary>
    public async Task RecordStoppedByShutdownAsync(TrackedJob job)
    {
        var now = DateTimeOffset.UtcNow;
        job.Spec.StoppedByShutdownAt = now.ToUnixTimeMilliseconds();
        if (job.Detail.Container.LogStreamName is { } logPath && job.Detail.Status == BatchJobStatus.Running)
        {
            try
            {
                JobLog.AppendNote(logPath, now, $"The local stack's shutdown stopped this attempt at {FormatTime(now)} (its process tree was killed); it runs again at the next start of the stack.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The log is a courtesy; the marker below is what the next start reads.
            }
        }
        await _status.StoreOnceAsync(job).ConfigureAwait(false);
    }

    /// <summary>A time as the status reasons and notes write it: ISO 8601 UTC to the second.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Ends a terminated job that has no attempt running: FAILED with the termination reason, no retry.</summary>
    public async Task<bool> EndTerminatedAsync(TrackedJob job)
    {
        job.Detail.StoppedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _status.SetAsync(job, BatchJobStatus.Failed, $"{TerminatedReason}: {job.TerminationReason}").ConfigureAwait(false);
        return false;
    }

    private static IReadOnlyDictionary<string, string> Environment(TrackedJob job, int attempt)
    {
        var environment = new Dictionary<string, string>(job.Spec.Environment, StringComparer.Ordinal)
        {
            ["AWS_BATCH_JOB_ID"] = job.JobId,
            ["AWS_BATCH_JOB_ATTEMPT"] = attempt.ToString(CultureInfo.InvariantCulture),
            ["AWS_BATCH_JQ_NAME"] = job.Detail.JobQueue,
        };
        if (job.Detail.ArrayProperties?.Index is int index)
            environment["AWS_BATCH_JOB_ARRAY_INDEX"] = index.ToString(CultureInfo.InvariantCulture);
        if (job.Detail.Tags.TryGetValue(WorkflowInput.TriggerIdTag, out var triggerId))
            environment["BATCHPS_TRIGGER_ID"] = triggerId;
        return environment;
    }
}
