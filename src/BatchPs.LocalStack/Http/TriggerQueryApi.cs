using BatchPs.Core.Api;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Storage;
using Microsoft.AspNetCore.Http;

namespace BatchPs.LocalStack.Http;

/// <summary>
/// The read routes beyond one record: <c>GET /triggers</c> (filtered, newest first, paged), <c>GET /triggers/{id}/log</c>
/// (an attempt's log lines with their times, paged by byte offset) and <c>GET /jobs</c> (the catalog's public fields).
/// Every query is validated by Core's parsers before anything is read.
/// </summary>
internal sealed class TriggerQueryApi
{
    private readonly TriggerStore _store;
    private readonly LocalBatch _batch;
    private readonly LocalJobCatalog _catalog;

    public TriggerQueryApi(TriggerStore store, LocalBatch batch, LocalJobCatalog catalog)
    {
        _store = store;
        _batch = batch;
        _catalog = catalog;
    }

    public async Task ListAsync(HttpContext context)
    {
        var (query, error) = TriggerListQuery.Parse(QueryPairs.Of(context.Request));
        if (error is not null)
        {
            await ApiResponses.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        await ApiResponses.WriteJsonAsync(context.Response, _store.List(query!)).ConfigureAwait(false);
    }

    public Task GetJobsAsync(HttpContext context)
    {
        if (QueryParameters.None(QueryPairs.Of(context.Request), "GET /jobs") is { } unknown)
            return ApiResponses.WriteErrorAsync(context, unknown);
        context.Response.StatusCode = StatusCodes.Status200OK;
        return ApiResponses.WriteJsonAsync(context.Response, JobList.From(_catalog.Entries));
    }

    public async Task GetLogAsync(HttpContext context)
    {
        var (query, error) = TriggerLogQuery.Parse(QueryPairs.Of(context.Request));
        if (error is not null)
        {
            await ApiResponses.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }
        var triggerId = TriggerApi.TriggerIdOf(context);
        if (_store.Find(triggerId) is not { } record)
        {
            await ApiResponses.WriteErrorAsync(context, ApiError.TriggerNotFound(triggerId)).ConfigureAwait(false);
            return;
        }
        var (page, problem) = ReadLog(record.TriggerId, record.BatchJobId, query!);
        if (problem is not null)
        {
            await ApiResponses.WriteErrorAsync(context, problem).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        await ApiResponses.WriteJsonAsync(context.Response, page!).ConfigureAwait(false);
    }

    private (TriggerLogPage? Page, ApiError? Error) ReadLog(string triggerId, string? batchJobId, TriggerLogQuery query)
    {
        var page = new TriggerLogPage { TriggerId = triggerId };
        if (query.Cursor is not null) // A cloud stack's token (a CloudWatch Logs position): this stack pages by byte offset.
            return (null, ApiError.Invalid("nextToken", "'nextToken' is not a token this server wrote for this attempt and child. Pass the nextToken of the previous page unchanged, with the same attempt and child."));
        var job = batchJobId is null ? null : _batch.DescribeJob(batchJobId);
        if (job is null)
        {
            if (query.Child is not null) return (null, TriggerLogQuery.NoChildrenYet(triggerId));
            return (page, null); // Not submitted yet: no log, nothing to follow yet.
        }
        if (job.ArrayProperties is { Size: int size, Index: null })
        {
            if (query.Child is not int child)
                return (null, TriggerLogQuery.ArrayParent(triggerId, size));
            if (child >= size)
                return (null, TriggerLogQuery.ChildOutOfRange(triggerId, child, size));
            job = _batch.DescribeJob(ArrayJobs.ChildId(job.JobId, child))!;
        }
        else if (query.Child is not null)
        {
            return (null, TriggerLogQuery.NotAnArray(triggerId));
        }

        var running = job.Status is BatchJobStatus.Starting or BatchJobStatus.Running;
        var attempts = job.Attempts.Count + (running ? 1 : 0);
        page.Attempts = attempts;
        if (attempts == 0)
        {
            if (query.Attempt is int asked) return (null, TriggerLogQuery.NoAttemptYet(triggerId, asked));
            return (page, null);
        }
        var attempt = query.Attempt ?? attempts;
        if (attempt > attempts)
            return (null, TriggerLogQuery.AttemptOutOfRange(triggerId, attempt, attempts));
        var growing = running && attempt == attempts;
        var path = _batch.AttemptLogPath(job.JobId, attempt);
        page.Attempt = attempt;
        page.LogLocation = path;
        if (query.FromTail)
        {
            var (events, next) = JobLog.ReadTail(path, query.Limit, growing);
            page.Events = events;
            page.NextToken = growing ? query.EncodeToken(attempt, next) : null;
        }
        else
        {
            var (events, next, atEnd) = JobLog.ReadForward(path, query.Offset ?? 0, query.Limit, growing);
            page.Events = events;
            page.NextToken = growing || !atEnd ? query.EncodeToken(attempt, next) : null;
        }
        return (page, null);
    }
}
