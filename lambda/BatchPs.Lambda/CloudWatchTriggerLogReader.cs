using BatchPs.Aws;
using BatchPs.Aws.CloudWatchLogs;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;

namespace BatchPs.Lambda;

/// <summary>
/// <c>GET /triggers/{id}/log</c> in the cloud: CloudWatch Logs GetLogEvents of the log stream the record names
/// (<c>logLocation</c>, the Batch job's <c>container.logStreamName</c>) in the jobs' log group. Forward from the head by
/// default, continuing with the forward token (kept in Core's <see cref="TriggerLogQuery"/> token as its cursor; at the end
/// of the stream GetLogEvents answers the same token, so a follower keeps polling with it while the job runs);
/// <c>fromTail=true</c> gives the last <c>limit</c> events.
/// The record names only the latest attempt's stream (Batch's events carry the current container's stream), so
/// <c>attempt</c> can name only the latest attempt: an earlier one is a 400 that says where its log is. An array parent's
/// record names no child streams: <c>child</c> and the parent itself are 400s that say so.
/// </summary>
public sealed class CloudWatchTriggerLogReader
{
    private readonly CloudWatchLogsClient _logs;
    private readonly string _logGroup;

    /// <summary>Creates the reader of a log group (the Batch jobs' awslogs group).</summary>
    public CloudWatchTriggerLogReader(CloudWatchLogsClient logs, string logGroup)
    {
        _logs = logs;
        _logGroup = logGroup;
    }

    /// <summary>One page of the trigger's log, or the 400 that says why it cannot be read.</summary>
    public async Task<(TriggerLogPage? Page, ApiError? Error)> ReadAsync(TriggerRecord record, TriggerLogQuery query, CancellationToken cancellationToken)
    {
        var id = record.TriggerId;
        if (record.ArrayStatusSummary is not null || record.Overrides?.ArraySize is not null)
        {
            var size = record.Overrides?.ArraySize is int n ? $" of {n} children" : "";
            return (null, new ApiError(400, ErrorCodes.ArrayParent,
                $"Trigger {id} runs an array job{size}; each child has its own log stream, which the cloud record does not name (so 'child' cannot be read here). Read the children's streams in CloudWatch Logs group {_logGroup} (Batch jobs {record.BatchJobId ?? "(not submitted yet)"}:0, :1, ...).", "child"));
        }
        if (query.Child is not null)
            return (null, ApiError.Invalid("child", $"Trigger {id} does not run an array job; leave 'child' out."));

        var page = new TriggerLogPage { TriggerId = id };
        var running = record.Status is TriggerStatus.STARTING or TriggerStatus.RUNNING;
        var latest = record.LogLocation is null ? 0 : running ? (record.Attempts ?? 0) + 1 : Math.Max(record.Attempts ?? 0, 1);
        page.Attempts = latest;
        if (latest == 0)
        {
            if (query.Attempt is int asked) return (null, ApiError.Invalid("attempt", $"'attempt' is {asked}, but trigger {id}'s job has not started an attempt yet."));
            return (page, null); // no log yet: nothing to follow yet
        }
        var attempt = query.Attempt ?? latest;
        if (attempt > latest)
            return (null, ApiError.Invalid("attempt", $"'attempt' is {attempt}; trigger {id}'s job has attempts 1..{latest}."));
        if (attempt < latest)
            return (null, ApiError.Invalid("attempt", $"'attempt' is {attempt}, but the cloud record names only the latest attempt's log stream (attempt {latest}, {record.LogLocation}); earlier attempts' streams are in CloudWatch Logs group {_logGroup} (Batch job {record.BatchJobId}). Leave 'attempt' out, or pass {latest}."));

        page.Attempt = attempt;
        page.LogLocation = record.LogLocation;
        LogEventsPage events;
        try
        {
            events = await _logs.GetLogEventsAsync(_logGroup, record.LogLocation!, query.Limit, startFromHead: !query.FromTail, query.FromTail ? null : query.Cursor, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == CloudWatchLogsClient.ResourceNotFound)
        {
            return (page, null); // the stream exists once the container writes its first line
        }
        page.Events = events.Events.Select(e => new TriggerLogEvent { Timestamp = e.Timestamp, Message = e.Message }).ToList();
        var forward = events.NextForwardToken;
        // The log can still grow: always a token. Ended: a token until GetLogEvents hands back the one it was given (the end).
        var more = forward is not null && (running || (!query.FromTail && forward != query.Cursor));
        page.NextToken = more ? query.EncodeToken(attempt, forward!) : null;
        return (page, null);
    }
}
