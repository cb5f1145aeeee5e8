using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchPs.LocalStack.Http;

/// <summary>
/// The trigger API's route table (<see cref="Map"/>) and the handlers of <c>POST /triggers</c>, <c>GET /triggers/{triggerId}</c>
/// and <c>GET /triggers/{triggerId}/history</c>; cancel is <see cref="TriggerCancelApi"/>, list, log and jobs are
/// <see cref="TriggerQueryApi"/>. The pipeline around them (<see cref="ApiPipeline"/>) checks the API key
/// first and answers JSON errors for everything else. Nothing is stored before a request passed every check.
/// </summary>
internal sealed class TriggerApi
{
    /// <summary>Header set on a 202 that returns an existing trigger for a repeated idempotency key.</summary>
    public const string ReplayHeader = "BatchPs-Idempotent-Replay";

    private const string TriggersPath = "/triggers";

    private readonly TriggerStore _store;
    private readonly ExecutionStore _executions;
    private readonly LocalJobCatalog _catalog;

    public TriggerApi(TriggerStore store, ExecutionStore executions, LocalJobCatalog catalog)
    {
        _store = store;
        _executions = executions;
        _catalog = catalog;
    }

    /// <summary>A sentence naming every route, for the 404 of an unknown one.</summary>
    public const string RouteList = "POST /triggers, GET /triggers, GET /triggers/{triggerId}, POST /triggers/{triggerId}/cancel, GET /triggers/{triggerId}/history, GET /triggers/{triggerId}/log and GET /jobs";

    /// <summary>Declares the routes (request delegates: nothing is compiled at start).</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.ServiceProvider.GetRequiredService<TriggerApi>();
        var triggers = app.MapGroup(TriggersPath);
        triggers.MapPost("", api.PostAsync);
        triggers.MapGet("/{triggerId}", api.GetAsync);
        triggers.MapGet("/{triggerId}/history", api.GetHistoryAsync);
        var cancel = app.ServiceProvider.GetRequiredService<TriggerCancelApi>();
        var queries = app.ServiceProvider.GetRequiredService<TriggerQueryApi>();
        triggers.MapGet("", queries.ListAsync);
        triggers.MapPost("/{triggerId}/cancel", cancel.CancelAsync);
        triggers.MapGet("/{triggerId}/log", queries.GetLogAsync);
        app.MapGet("/jobs", queries.GetJobsAsync);
    }

    private async Task PostAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            await ApiResponses.WriteErrorAsync(context, new ApiError(415, ErrorCodes.UnsupportedMediaType, $"The body must be JSON (Content-Type: application/json), not '{request.ContentType}'.")).ConfigureAwait(false);
            return;
        }
        // Kestrel enforces the size limit (Limits.MaxBodyBytes) while this reads; ApiPipeline answers its 413.
        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        var parsed = TriggerRequestParser.Parse(body);
        if (parsed.Error is { } parseError)
        {
            await ApiResponses.WriteErrorAsync(context, parseError).ConfigureAwait(false);
            return;
        }
        var trigger = parsed.Request!;
        var problem = JobCatalogRules.CheckTrigger(_catalog.Find(trigger.JobName), trigger.JobName, trigger.Parameters, trigger.Overrides);
        if (problem is not null)
        {
            await ApiResponses.WriteErrorAsync(context, problem).ConfigureAwait(false);
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
            await ApiResponses.WriteErrorAsync(context, new ApiError(StatusCodes.Status409Conflict, ErrorCodes.IdempotencyKeyConflict, conflict, "idempotencyKey")).ConfigureAwait(false);
            return;
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.Location = TriggersPath + "/" + stored.Record.TriggerId;
        if (stored.Replayed) response.Headers[ReplayHeader] = "true";
        // The stored document is the record's JSON: sent as stored, not serialized a second time.
        response.ContentType = ApiResponses.JsonContentType;
        await response.WriteAsync(stored.Json).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context)
    {
        var triggerId = TriggerIdOf(context);
        var json = _store.FindJson(triggerId);
        if (json is null)
        {
            await ApiResponses.WriteErrorAsync(context, ApiError.TriggerNotFound(triggerId)).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ApiResponses.JsonContentType;
        await context.Response.WriteAsync(json).ConfigureAwait(false);
    }

    private async Task GetHistoryAsync(HttpContext context)
    {
        if (QueryParameters.None(QueryPairs.Of(context.Request), "GET /triggers/{id}/history") is { } unknown)
        {
            await ApiResponses.WriteErrorAsync(context, unknown).ConfigureAwait(false);
            return;
        }
        var triggerId = TriggerIdOf(context);
        if (_store.Find(triggerId) is not { } record)
        {
            await ApiResponses.WriteErrorAsync(context, ApiError.TriggerNotFound(triggerId)).ConfigureAwait(false);
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
        context.Response.ContentType = ApiResponses.JsonContentType;
        await context.Response.WriteAsync(body.ToJsonString(LocalJson.Options)).ConfigureAwait(false);
    }

    /// <summary>The whole body; Kestrel throws a 413 <see cref="BadHttpRequestException"/> past the size limit.</summary>
    internal static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            System.IO.Pipelines.ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (ex is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // Kestrel reports some bad framing as a plain IOException: a chunk size that overflows ("Bad chunk size data").
                throw new BadHttpRequestException($"the body's framing is malformed ({ex.Message}). Send the body with a Content-Length, or as well-formed chunks.", StatusCodes.Status400BadRequest, ex);
            }
            if (read.IsCompleted || read.IsCanceled)
            {
                var bytes = System.Buffers.BuffersExtensions.ToArray(read.Buffer);
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    internal static string TriggerIdOf(HttpContext context) => (string)context.Request.RouteValues["triggerId"]!;


    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return true;
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

}
