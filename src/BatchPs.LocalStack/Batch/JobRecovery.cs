using System.Text.Json;
using BatchPs.Core.Json;
using BatchPs.LocalStack.Storage;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// Settles what a stop or crash left, before anything else uses the local Batch: kills attempts' processes that
/// outlived the stack; runs again, without counting it, an attempt the stack's own shutdown stopped (it carries the
/// stop's marker: the job did not fail, the stack stopped it); counts any other interrupted attempt (a crash, a
/// <c>kill -9</c>) as failed, retried per the job's strategy; and hands every job not yet final back to the scheduler
/// (array parents after they know their children's statuses).
/// </summary>
internal sealed class JobRecovery
{
    /// <summary>Status reason of an attempt the local stack's stop or crash interrupted, when its process was still alive at restart.</summary>
    public const string OrphanKilledReason = "The local stack stopped while this attempt was running; its process was still running at restart and was killed.";
    /// <summary>Status reason of an attempt the local stack's stop or crash interrupted, when its process was gone at restart.</summary>
    public const string VanishedReason = "The local stack stopped while this attempt was running; its process was gone at restart and its exit code is unknown.";

    /// <summary>Status reason (RUNNABLE, at the next start) of a job whose attempt the local stack's shutdown stopped.</summary>
    public static string StoppedByShutdownReason(int attempt, long stoppedAt) =>
        $"Attempt {attempt} was stopped by the local stack's shutdown at {AttemptRunner.FormatTime(DateTimeOffset.FromUnixTimeMilliseconds(stoppedAt))}; "
        + "it runs again (an attempt the stack itself stopped does not count against the job's retry strategy).";

    private readonly BatchJobStore _store;
    private readonly ArrayJobs _arrays;
    private readonly AttemptRunner _attempts;
    private readonly JobScheduler _scheduler;
    private readonly JobStatusChanges _status;

    public JobRecovery(BatchJobStore store, ArrayJobs arrays, AttemptRunner attempts, JobScheduler scheduler, JobStatusChanges status)
    {
        _status = status;
        _store = store;
        _arrays = arrays;
        _attempts = attempts;
        _scheduler = scheduler;
    }

    /// <summary>
    /// Settles and requeues; returns how many attempts were interrupted (those the shutdown stopped included), how many
    /// of them the shutdown stopped (they run again), and how many jobs were queued again.
    /// </summary>
    /// <param name="terminationOf">The termination reason of a job whose trigger was cancelled, else null.</param>
    public async Task<(int Interrupted, int StoppedByShutdown, int Queued)> RecoverAsync(Func<BatchJobDetail, string?> terminationOf)
    {
        var pending = _store.ReadUnfinished()
            .Select(j => new TrackedJob(Read<BatchJobDetail>(j.Detail), Read<BatchJobSpec>(j.Spec)))
            .ToList();
        if (pending.Count == 0) return (0, 0, 0);

        // Array parents first: they must hear of every change of their children from now on.
        var parents = _arrays.Restore(pending);

        var orphans = OrphanProcesses.ScanByJobId();
        int interrupted = 0, stoppedByShutdown = 0, queued = 0;
        foreach (var job in pending)
        {
            // Its trigger's cancel was cut short: ended like TerminateJob, never run again (parents follow their children).
            if (terminationOf(job.Detail) is { } termination) job.Terminate(termination);
        }
        foreach (var job in pending.Where(j => j.Array is null))
        {
            var killed = await OrphanProcesses.KillAsync(
                orphans.TryGetValue(job.JobId, out var pids) ? pids : new List<int>(), job.Spec.Pid, job.Spec.PidStartedAt).ConfigureAwait(false);
            var attemptInProgress = job.Detail.Status is BatchJobStatus.Starting or BatchJobStatus.Running;
            if (attemptInProgress && job.Spec.StoppedByShutdownAt is long stoppedAt && job.TerminationReason is null)
            {
                interrupted++;
                stoppedByShutdown++;
                job.Spec.StoppedByShutdownAt = job.Spec.AttemptStartedAt = job.Spec.PidStartedAt = null;
                job.Spec.Pid = null;
                await _status.SetAsync(job, BatchJobStatus.Runnable, StoppedByShutdownReason(job.Detail.Attempts.Count + 1, stoppedAt)).ConfigureAwait(false);
            }
            else if (attemptInProgress || killed > 0)
            {
                interrupted++;
                var reason = job.TerminationReason is { } termination
                    ? $"{AttemptRunner.TerminatedReason}: {termination}" + (killed > 0 ? " The process tree was killed." : "")
                    : killed > 0 ? OrphanKilledReason : VanishedReason;
                if (!await _attempts.EndAsync(job, exitCode: null, reason, containerReason: null).ConfigureAwait(false))
                    continue;
            }
            _scheduler.Run(job);
            queued++;
        }
        foreach (var parent in parents) _scheduler.Run(parent);
        return (interrupted, stoppedByShutdown, queued);
    }

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, BatchPsJson.Lenient)!;
}
