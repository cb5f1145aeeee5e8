using BatchPs.Aws;
using BatchPs.Aws.Batch;
using BatchPs.Aws.CloudWatchLogs;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;

namespace BatchPs.Lambda;

/// <summary>
/// <c>GET /triggers/{id}/log</c> in the cloud: CloudWatch Logs GetLogEvents of an attempt's log stream in the jobs' log
/// group. Forward from the head by default, continuing with the forward token (kept in Core's <see cref="TriggerLogQuery"/>
/// token as its cursor, with the attempt and child; at the end of the stream GetLogEvents answers the same token, so a
/// follower keeps polling with it while the job runs); <c>fromTail=true</c> gives the last <c>limit</c> events.
/// The latest attempt's stream is the one the record names (<c>logLocation</c>, from Batch's events): no other call. An
/// earlier attempt's stream, and an array child's (<c>child=N</c>, job <c>parentId:N</c>), come from one AWS Batch
/// DescribeJobs call (<c>attempts[].container.logStreamName</c>, <c>container.logStreamName</c>). An array parent without
/// <c>child</c> is a 400 <see cref="ErrorCodes.ArrayParent"/> naming the children's range.
/// </summary>
public sealed class CloudWatchTriggerLogReader
{
    private readonly CloudWatchLogsClient _logs;
    private readonly BatchClient _batch;
    private readonly string _logGroup;

    /// <summary>Creates the reader of a log group (the Batch jobs' awslogs group), finding streams through Batch.</summary>
    public CloudWatchTriggerLogReader(CloudWatchLogsClient logs, BatchClient batch, string logGroup)
    {
        _logs = logs;
        _batch = batch;
        _logGroup = logGroup;
    }

    /// <summary>One page of the trigger's log, or the 400 that says why it cannot be read.</summary>
    public async Task<(TriggerLogPage? Page, ApiError? Error)> ReadAsync(TriggerRecord record, TriggerLogQuery query, CancellationToken cancellationToken)
    {
        var id = record.TriggerId;
        var isArray = record.ArrayStatusSummary is not null || record.Overrides?.ArraySize is not null;
        if (query.Child is int child)
        {
            if (!isArray) return (null, TriggerLogQuery.NotAnArray(id));
            if (record.BatchJobId is not { } parentId)
                return (null, TriggerLogQuery.NoChildrenYet(id));
            var childId = $"{parentId}:{child}";
            var jobs = await _batch.DescribeJobsAsync(new[] { parentId, childId }, cancellationToken).ConfigureAwait(false);
            var parent = jobs.FirstOrDefault(j => j.JobId == parentId);
            var size = parent?.ArraySize ?? record.Overrides?.ArraySize;
            if (child >= size) return (null, TriggerLogQuery.ChildOutOfRange(id, child, size.Value));
            if (parent is null) return (null, NoLongerDescribed(id, parentId, "child"));
            // A child Batch has not created yet (it does so once the parent is submitted): no attempt, no log yet.
            return await ReadJobAsync(id, jobs.FirstOrDefault(j => j.JobId == childId), query, cancellationToken).ConfigureAwait(false);
        }
        if (isArray && record.BatchJobId is { } arrayId)
        {
            var size = record.Overrides?.ArraySize
                ?? (await DescribeAsync(arrayId, cancellationToken).ConfigureAwait(false))?.ArraySize;
            if (size is null) return (null, NoLongerDescribed(id, arrayId, "child"));
            return (null, TriggerLogQuery.ArrayParent(id, size.Value));
        }

        var page = new TriggerLogPage { TriggerId = id };
        var running = record.Status is TriggerStatus.STARTING or TriggerStatus.RUNNING;
        var latest = record.LogLocation is null ? 0 : running ? (record.Attempts ?? 0) + 1 : Math.Max(record.Attempts ?? 0, 1);
        page.Attempts = latest;
        if (latest == 0)
        {
            if (query.Attempt is int asked) return (null, TriggerLogQuery.NoAttemptYet(id, asked));
            return (page, null); // no log yet: nothing to follow yet
        }
        var attempt = query.Attempt ?? latest;
        if (attempt > latest) return (null, TriggerLogQuery.AttemptOutOfRange(id, attempt, latest));
        if (attempt == latest) return (await ReadStreamAsync(page, attempt, record.LogLocation!, running, query, cancellationToken).ConfigureAwait(false), null);

        // An earlier attempt: its stream is in Batch's description of the job.
        var described = await DescribeAsync(record.BatchJobId!, cancellationToken).ConfigureAwait(false);
        if (described is null) return (null, NoLongerDescribed(id, record.BatchJobId!, "attempt"));
        if (attempt > described.Attempts) return (null, TriggerLogQuery.AttemptOutOfRange(id, attempt, described.Attempts));
        return described.LogStream(attempt) is { } stream
            ? (await ReadStreamAsync(page, attempt, stream, growing: false, query, cancellationToken).ConfigureAwait(false), null)
            : (WithAttempt(page, attempt), null); // the attempt ended before its container started: no log
    }

    /// <summary>A job Batch describes (an array child), or none yet: its attempts, the asked one's stream.</summary>
    private async Task<(TriggerLogPage? Page, ApiError? Error)> ReadJobAsync(string id, BatchJobLogs? job, TriggerLogQuery query, CancellationToken cancellationToken)
    {
        var page = new TriggerLogPage { TriggerId = id, Attempts = job?.Attempts ?? 0 };
        if (page.Attempts == 0)
        {
            if (query.Attempt is int asked) return (null, TriggerLogQuery.NoAttemptYet(id, asked));
            return (page, null);
        }
        var attempt = query.Attempt ?? page.Attempts;
        if (attempt > page.Attempts) return (null, TriggerLogQuery.AttemptOutOfRange(id, attempt, page.Attempts));
        return job!.LogStream(attempt) is { } stream
            ? (await ReadStreamAsync(page, attempt, stream, job.Running && attempt == page.Attempts, query, cancellationToken).ConfigureAwait(false), null)
            : (WithAttempt(page, attempt), null); // no container yet (STARTING) or none ever: no log
    }

    private async Task<TriggerLogPage> ReadStreamAsync(TriggerLogPage page, int attempt, string stream, bool growing, TriggerLogQuery query, CancellationToken cancellationToken)
    {
        WithAttempt(page, attempt).LogLocation = stream;
        LogEventsPage events;
        try
        {
            events = await _logs.GetLogEventsAsync(_logGroup, stream, query.Limit, startFromHead: !query.FromTail, query.FromTail ? null : query.Cursor, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == CloudWatchLogsClient.ResourceNotFound)
        {
            return page; // the stream exists once the container writes its first line
        }
        page.Events = events.Events.Select(e => new TriggerLogEvent { Timestamp = e.Timestamp, Message = e.Message }).ToList();
        var forward = events.NextForwardToken;
        // The log can still grow: always a token. Ended: a token until GetLogEvents hands back the one it was given (the end).
        var more = forward is not null && (growing || (!query.FromTail && forward != query.Cursor));
        page.NextToken = more ? query.EncodeToken(attempt, forward!) : null;
        return page;
    }

    private async Task<BatchJobLogs?> DescribeAsync(string jobId, CancellationToken cancellationToken) =>
        (await _batch.DescribeJobsAsync(new[] { jobId }, cancellationToken).ConfigureAwait(false)).FirstOrDefault(j => j.JobId == jobId);

    private static TriggerLogPage WithAttempt(TriggerLogPage page, int attempt)
    {
        page.Attempt = attempt;
        return page;
    }

    private ApiError NoLongerDescribed(string id, string jobId, string field) =>
        ApiError.Invalid(field, $"AWS Batch no longer describes trigger {id}'s job {jobId} (it keeps ended jobs for a limited time), so the log stream of this {(field == "child" ? "array child" : "attempt")} cannot be found; its events stay in CloudWatch Logs group {_logGroup}."
            + (field == "attempt" ? " The latest attempt's log is still readable: leave 'attempt' out." : ""));
}
