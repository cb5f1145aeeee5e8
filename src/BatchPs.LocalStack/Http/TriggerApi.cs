using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Catalog;
using BatchPs.Core.Json;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Storage;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Http;

/// <summary>
/// The trigger API, as one terminal request handler: <c>POST /triggers</c>,
/// <c>GET /triggers/{id}</c> and <c>GET /triggers/{id}/history</c> behind the <c>x-api-key</c> check, JSON errors with Core's codes for
/// everything else (403, 404, 405, 413, 415, 400). Nothing is stored before a request passed every check.
/// </summary>
internal sealed class TriggerApi
{
    /// <summary>Header set on a 202 that returns an existing trigger for a repeated idempotency key.</summary>
    public const string ReplayHeader = "BatchPs-Idempotent-Replay";

    private const string TriggersPath = "/triggers";

    private const string HistorySuffix = "/history";

    private readonly TriggerStore _store;
    private readonly ExecutionStore _executions;
    private readonly LocalJobCatalog _catalog;
    private readonly ApiKeyCheck _apiKey;
    private readonly ILogger _logger;

    public TriggerApi(TriggerStore store, ExecutionStore executions, LocalJobCatalog catalog, ApiKeyCheck apiKey, ILogger logger)
    {
        _store = store;
        _executions = executions;
        _catalog = catalog;
        _apiKey = apiKey;
        _logger = logger;
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, new ApiError(ex.StatusCode, ex.StatusCode == 413 ? ErrorCodes.BodyTooLarge : ErrorCodes.InvalidRequest, "The HTTP request is malformed: " + ex.Message)).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            _logger.LogError(ex, "{Method} {Path} failed.", context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, new ApiError(500, ErrorCodes.InternalError, "The local stack failed to handle the request; it is safe to retry with the same idempotency key. See the local stack's output for details.")).ConfigureAwait(false);
        }
    }

    private Task RouteAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_apiKey.IsValid(request.Headers[ApiKeyCheck.HeaderName].ToString()))
            return WriteErrorAsync(context, new ApiError(403, ErrorCodes.Forbidden, $"The '{ApiKeyCheck.HeaderName}' header is missing or wrong. Pass the local stack's API key (Send-BatchTrigger -ApiKey, or the BATCHPS_API_KEY environment variable)."));

        var path = request.Path.Value ?? "";
        if (path.Length > 1 && path.EndsWith('/')) path = path[..^1];
        if (path == TriggersPath)
        {
            return HttpMethods.IsPost(request.Method)
                ? PostAsync(context)
                : MethodNotAllowed(context, "POST");
        }
        var slash = path.StartsWith(TriggersPath + "/", StringComparison.Ordinal) ? path.IndexOf('/', TriggersPath.Length + 1) : -1;
        if (slash > TriggersPath.Length + 1 && path[slash..] == HistorySuffix)
        {
            return HttpMethods.IsGet(request.Method)
                ? GetHistoryAsync(context, path[(TriggersPath.Length + 1)..slash])
                : MethodNotAllowed(context, "GET");
        }
        if (path.StartsWith(TriggersPath + "/", StringComparison.Ordinal) && path.IndexOf('/', TriggersPath.Length + 1) < 0)
        {
            return HttpMethods.IsGet(request.Method)
                ? GetAsync(context, path[(TriggersPath.Length + 1)..])
                : MethodNotAllowed(context, "GET");
        }
        return WriteErrorAsync(context, new ApiError(404, ErrorCodes.NotFound, $"No route '{request.Method} {path}'. The routes are POST /triggers, GET /triggers/{{triggerId}} and GET /triggers/{{triggerId}}/history."));
    }

    private async Task PostAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            await WriteErrorAsync(context, new ApiError(415, ErrorCodes.UnsupportedMediaType, $"The body must be JSON (Content-Type: application/json), not '{request.ContentType}'.")).ConfigureAwait(false);
            return;
        }
        if (request.ContentLength > Limits.MaxBodyBytes)
        {
            await WriteErrorAsync(context, TooLarge(request.ContentLength.Value)).ConfigureAwait(false);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is long length ? (int)length + 1 : 16 * 1024);
        try
        {
            var read = 0;
            while (true)
            {
                if (read == buffer.Length)
                {
                    if (buffer.Length > Limits.MaxBodyBytes)
                    {
                        await WriteErrorAsync(context, TooLarge(read)).ConfigureAwait(false);
                        return;
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, Limits.MaxBodyBytes + 1));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var n = await request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted).ConfigureAwait(false);
                if (n == 0) break;
                read += n;
            }
            if (read > Limits.MaxBodyBytes)
            {
                await WriteErrorAsync(context, TooLarge(read)).ConfigureAwait(false);
                return;
            }

            var parsed = TriggerRequestParser.Parse(buffer.AsMemory(0, read));
            if (parsed.Error is { } parseError)
            {
                await WriteErrorAsync(context, parseError).ConfigureAwait(false);
                return;
            }
            var trigger = parsed.Request!;
            var problem = JobCatalogRules.CheckTrigger(_catalog.Find(trigger.JobName), trigger.JobName, trigger.Parameters, trigger.Overrides);
            if (problem is not null)
            {
                await WriteErrorAsync(context, problem).ConfigureAwait(false);
                return;
            }

            var now = DateTimeOffset.UtcNow;
            var id = Guid.CreateVersion7(now).ToString("N");
            var record = new TriggerRecord
            {
                TriggerId = id,
                JobName = trigger.JobName,
                Client = trigger.Client,
                Parameters = trigger.Parameters,
                Overrides = trigger.Overrides,
                IdempotencyKey = trigger.IdempotencyKey ?? id,
                Status = TriggerStatus.RECEIVED,
                CreatedAt = now,
                UpdatedAt = now,
                StatusChangedAt = now,
                Version = 1,
            };
            var stored = await _store.InsertAsync(record).ConfigureAwait(false);
            if (stored.Replayed && IdempotencyConflict.Describe(stored.Record, trigger) is { } conflict)
            {
                await WriteErrorAsync(context, new ApiError(StatusCodes.Status409Conflict, ErrorCodes.IdempotencyKeyConflict, conflict, "idempotencyKey")).ConfigureAwait(false);
                return;
            }
            var response = context.Response;
            response.StatusCode = StatusCodes.Status202Accepted;
            response.Headers.Location = TriggersPath + "/" + stored.Record.TriggerId;
            if (stored.Replayed) response.Headers[ReplayHeader] = "true";
            await WriteJsonAsync(response, stored.Record).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task GetAsync(HttpContext context, string triggerId)
    {
        var json = _store.FindJson(triggerId);
        if (json is null)
        {
            await WriteErrorAsync(context, NotFound(triggerId)).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json).ConfigureAwait(false);
    }

    private async Task GetHistoryAsync(HttpContext context, string triggerId)
    {
        if (_store.Find(triggerId) is not { } record)
        {
            await WriteErrorAsync(context, NotFound(triggerId)).ConfigureAwait(false);
            return;
        }
        // The execution is named after the trigger; none yet (RECEIVED, REJECTED): an empty history.
        var history = _executions.ReadHistory(ExecutionNames.ForTrigger(record.TriggerId));
        var body = new JsonObject
        {
            ["triggerId"] = record.TriggerId,
            ["executionId"] = history?["executionId"]?.DeepClone(),
            ["status"] = history?["status"]?.DeepClone(),
            ["transitionCount"] = history?["transitionCount"]?.DeepClone() ?? 0,
            ["events"] = history?["events"]?.DeepClone() ?? new JsonArray(),
        };
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(LocalJson.Options)).ConfigureAwait(false);
    }

    private static ApiError NotFound(string triggerId) =>
        new(404, ErrorCodes.TriggerNotFound, $"No trigger has id '{Shorten(triggerId)}'. Check the id Send-BatchTrigger returned.", "triggerId");

    private static Task MethodNotAllowed(HttpContext context, string allowed)
    {
        context.Response.Headers.Allow = allowed;
        return WriteErrorAsync(context, new ApiError(405, ErrorCodes.MethodNotAllowed, $"'{context.Request.Method} {context.Request.Path}' is not supported; use {allowed}."));
    }

    private static ApiError TooLarge(long bytes) =>
        new(413, ErrorCodes.BodyTooLarge, $"The body is at least {bytes} bytes; the limit is {Limits.MaxBodyBytes} bytes (256 KiB). Pass large inputs by reference (for example a file path or an S3 URI in a parameter).");

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return true;
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "...";

    internal static Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        context.Response.StatusCode = error.StatusCode;
        return WriteJsonAsync(context.Response, new ErrorBody(error.Code, error.Message, error.Field));
    }

    private static Task WriteJsonAsync<T>(HttpResponse response, T value)
    {
        response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(response.Body, value, LocalJson.Options);
    }

    private sealed record ErrorBody(string Code, string Message, string? Field);
}
