using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BatchPs.Core.Api;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Client;

/// <summary>
/// The routes beyond send and read: cancel (<c>POST /triggers/{id}/cancel</c>), list (<c>GET /triggers</c>), log
/// (<c>GET /triggers/{id}/log</c>) and the catalog (<c>GET /jobs</c>), with the same retries and errors as the rest.
/// </summary>
public sealed partial class BatchTriggerClient
{
    /// <summary>
    /// Cancels a trigger: the record now CANCELLED (or as it was, when it was cancelled already). A trigger that ended
    /// otherwise throws with code <see cref="ErrorCodes.TriggerAlreadyFinal"/>; an unknown id with
    /// <see cref="ErrorCodes.TriggerNotFound"/>. Safe to retry: a second cancel answers the same record.
    /// </summary>
    public Task<TriggerRecord> CancelAsync(string triggerId, TriggerCancelRequest? request = null, CancellationToken cancellationToken = default)
    {
        var uri = TriggerUri(triggerId, "/cancel");
        var body = request is null || (request.Reason is null && request.Client is null)
            ? null
            : JsonSerializer.SerializeToUtf8Bytes(request, BatchPsJson.Options);
        return CallAsync(ReadRecord, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, uri);
            if (body is not null)
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }
            return message;
        }, null, cancellationToken);
    }

    /// <summary>One page of <c>GET /triggers</c>; pass the page's <see cref="TriggerListPage.NextToken"/> for the next.</summary>
    public Task<TriggerListPage> ListPageAsync(TriggerListQuery query, string? nextToken = null, CancellationToken cancellationToken = default)
    {
        if (query is null) throw new ArgumentNullException(nameof(query));
        var uri = new Uri(_triggersUri.AbsoluteUri + "?" + query.ToQueryString(nextToken));
        return CallAsync((response, content) => ReadBody<TriggerListPage>(response, content, "trigger list"), () => new HttpRequestMessage(HttpMethod.Get, uri), null, cancellationToken);
    }

    /// <summary>Every trigger the query matches, newest first, reading page after page as the caller consumes them.</summary>
    public async IAsyncEnumerable<TriggerRecord> ListAsync(TriggerListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListPageAsync(query, token, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Triggers) yield return record;
            token = page.NextToken;
        }
        while (token is not null);
    }

    /// <summary>One page of a trigger's job log (<c>GET /triggers/{id}/log</c>).</summary>
    public Task<TriggerLogPage> GetLogAsync(string triggerId, TriggerLogQuery query, string? nextToken = null, CancellationToken cancellationToken = default)
    {
        if (query is null) throw new ArgumentNullException(nameof(query));
        var uri = new Uri(TriggerUri(triggerId, "/log").AbsoluteUri + "?" + query.ToQueryString(nextToken));
        return CallAsync((response, content) => ReadBody<TriggerLogPage>(response, content, "job log page"), () => new HttpRequestMessage(HttpMethod.Get, uri), null, cancellationToken);
    }

    /// <summary>The catalog's jobs a caller may start (<c>GET /jobs</c>), public fields only, sorted by name.</summary>
    public async Task<IReadOnlyList<JobSummary>> GetJobsAsync(CancellationToken cancellationToken = default)
    {
        var uri = new Uri(new Uri(_triggersUri, "./").AbsoluteUri + "jobs");
        var list = await CallAsync((response, content) => ReadBody<JobList>(response, content, "job list"), () => new HttpRequestMessage(HttpMethod.Get, uri), null, cancellationToken).ConfigureAwait(false);
        return list.Jobs;
    }

    private Uri TriggerUri(string triggerId, string suffix)
    {
        if (string.IsNullOrEmpty(triggerId)) throw new ArgumentException("The trigger id is empty.", nameof(triggerId));
        return new Uri(_triggersUri.AbsoluteUri + "/" + Uri.EscapeDataString(triggerId) + suffix);
    }

    private T ReadBody<T>(HttpResponseMessage response, byte[] content, string what) where T : class
    {
        try
        {
            if (JsonSerializer.Deserialize<T>(content, BatchPsJson.Lenient) is { } body) return body;
        }
        catch (JsonException ex)
        {
            throw new BatchTriggerException(ClientErrorCodes.InvalidResponse,
                $"{_options.Endpoint} answered {(int)response.StatusCode} with a body that is not a {what} ({ex.Message}). Is the endpoint a BatchPs stack with this route?", (int)response.StatusCode, innerException: ex);
        }
        throw new BatchTriggerException(ClientErrorCodes.InvalidResponse,
            $"{_options.Endpoint} answered {(int)response.StatusCode} without a {what}. Is the endpoint a BatchPs stack with this route?", (int)response.StatusCode);
    }
}
