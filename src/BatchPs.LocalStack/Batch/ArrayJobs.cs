using System.Globalization;
using System.Text.Json;
using BatchPs.Core.Json;
using BatchPs.LocalStack.Storage;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// Array jobs: the fan-out of a parent into its children (<c>JOBID:0</c> ... <c>JOBID:N-1</c>), the parent's run loop
/// (it runs no process: it follows its children's statuses), and the rebuilding of a parent's view of its children
/// after a restart.
/// </summary>
internal sealed class ArrayJobs
{
    private readonly JobStatusChanges _status;
    private readonly AttemptRunner _attempts;
    private readonly BatchJobStore _store;
    private readonly ILogger _logger;

    public ArrayJobs(JobStatusChanges status, AttemptRunner attempts, BatchJobStore store, ILogger logger)
    {
        _status = status;
        _attempts = attempts;
        _store = store;
        _logger = logger;
    }

    /// <summary>AWS Batch's id of an array child: <c>parent:index</c>.</summary>
    public static string ChildId(string parentId, int index) => parentId + ":" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Makes <paramref name="parent"/> an array job of <paramref name="size"/> children and returns them (not yet stored).</summary>
    public IReadOnlyList<TrackedJob> FanOut(TrackedJob parent, int size)
    {
        var detail = parent.Detail;
        parent.Array = new ArrayParentState(Enumerable.Repeat(BatchJobStatus.Submitted, size).ToArray());
        detail.ArrayProperties = new BatchArrayProperties { Size = size, StatusSummary = parent.Array.Summary() };
        detail.Container.LogStreamName = _attempts.LogFolder(detail.JobId);
        var children = new List<TrackedJob>(size);
        for (var i = 0; i < size; i++)
        {
            var childDetail = Read<BatchJobDetail>(parent.Serialize());
            childDetail.JobId = ChildId(detail.JobId, i);
            childDetail.ArrayProperties = new BatchArrayProperties { Index = i };
            childDetail.Container.LogStreamName = null;
            children.Add(new TrackedJob(childDetail, Read<BatchJobSpec>(JsonSerializer.Serialize(parent.Spec, LocalJson.Options))) { Parent = parent.Array });
        }
        return children;
    }

    /// <summary>
    /// After a restart: gives every unfinished array parent among <paramref name="pending"/> its children's stored
    /// statuses, and links its unfinished children to it; returns the parents.
    /// </summary>
    public IReadOnlyList<TrackedJob> Restore(IReadOnlyList<TrackedJob> pending)
    {
        var byId = pending.ToDictionary(j => j.JobId, StringComparer.Ordinal);
        var parents = pending.Where(j => j.Detail.ArrayProperties is { Size: not null, Index: null }).ToList();
        foreach (var parent in parents)
        {
            var statuses = new string[parent.Detail.ArrayProperties!.Size!.Value];
            foreach (var (id, status) in _store.ChildStatuses(parent.JobId))
            {
                var index = int.Parse(id[(id.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
                statuses[index] = status;
            }
            parent.Array = new ArrayParentState(statuses);
            for (var i = 0; i < statuses.Length; i++)
            {
                if (byId.TryGetValue(ChildId(parent.JobId, i), out var child)) child.Parent = parent.Array;
            }
        }
        return parents;
    }

    /// <summary>
    /// An array job's parent runs no process: it follows its children. PENDING until one starts,
    /// RUNNING while any runs or some are done, then SUCCEEDED when all succeeded, else FAILED.
    /// </summary>
    public async Task RunParentAsync(TrackedJob parent, CancellationToken stopping)
    {
        var detail = parent.Detail;
        var state = parent.Array!;
        var delay = new RetryDelay();
        try
        {
            while (true)
            {
                try
                {
                    if (await FollowChildrenAsync(parent, detail, state).ConfigureAwait(false)) break;
                    await state.WaitForChangeAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    _logger.LogError(ex, "Array job {JobId}: the local Batch failed to record a change; trying again in {Delay} ms.", parent.JobId, delay.Next.TotalMilliseconds);
                    detail.ArrayProperties!.StatusSummary = null; // Not stored: write it again next time.
                    await delay.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: the restart rebuilds the parent from its children.
        }
    }

    /// <summary>Brings the parent's status and child counts up to date; true once it is final.</summary>
    private async Task<bool> FollowChildrenAsync(TrackedJob parent, BatchJobDetail detail, ArrayParentState state)
    {
        var summary = state.Summary();
        int succeeded = summary[BatchJobStatus.Succeeded], failed = summary[BatchJobStatus.Failed];
        int active = summary[BatchJobStatus.Starting] + summary[BatchJobStatus.Running];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string status, reason;
        if (succeeded + failed == state.Size)
        {
            status = failed == 0 ? BatchJobStatus.Succeeded : BatchJobStatus.Failed;
            reason = failed == 0 ? $"All {state.Size} child jobs succeeded." : $"{failed} of {state.Size} child jobs failed.";
            detail.StoppedAt = now;
        }
        else if (active > 0 || succeeded + failed > 0)
        {
            status = BatchJobStatus.Running;
            reason = $"{active} child jobs running; {succeeded + failed} of {state.Size} done ({failed} failed).";
            detail.StartedAt ??= now;
        }
        else
        {
            status = BatchJobStatus.Pending;
            reason = $"{state.Size} child jobs waiting to run.";
        }
        var previous = detail.ArrayProperties!.StatusSummary;
        if (status != detail.Status || reason != detail.StatusReason || previous is null || !summary.All(c => previous.GetValueOrDefault(c.Key) == c.Value))
        {
            detail.ArrayProperties.StatusSummary = summary;
            await _status.SetAsync(parent, status, reason).ConfigureAwait(false);
        }
        return BatchJobStatus.IsFinal(status);
    }

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, BatchPsJson.Lenient)!;
}
