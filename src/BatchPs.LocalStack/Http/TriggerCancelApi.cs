using BatchPs.Core.Api;
using BatchPs.LocalStack.Storage;
using BatchPs.LocalStack.Workflow;
using Microsoft.AspNetCore.Http;

namespace BatchPs.LocalStack.Http;

/// <summary>
/// <c>POST /triggers/{triggerId}/cancel</c> with an optional body <c>{"reason", "client"}</c> (Core's
/// <see cref="TriggerCancelRequest"/>): 200 with the CANCELLED record (the same record again for a second cancel),
/// 409 <see cref="ErrorCodes.TriggerAlreadyFinal"/> naming the status of a trigger that ended otherwise, 404 for an
/// unknown id. The body is checked before anything is changed.
/// </summary>
internal sealed class TriggerCancelApi
{
    private readonly TriggerCancellation _cancellation;

    public TriggerCancelApi(TriggerCancellation cancellation)
    {
        _cancellation = cancellation;
    }

    public async Task CancelAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await TriggerApi.ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > 0 && !TriggerApi.IsJson(request.ContentType))
        {
            await ApiResponses.WriteErrorAsync(context, new ApiError(415, ErrorCodes.UnsupportedMediaType, $"The body must be JSON (Content-Type: application/json), not '{request.ContentType}'.")).ConfigureAwait(false);
            return;
        }
        var (cancel, error) = TriggerCancelRequest.Parse(body);
        if (error is not null)
        {
            await ApiResponses.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }
        var triggerId = TriggerApi.TriggerIdOf(context);
        var (outcome, record) = await _cancellation.CancelAsync(triggerId, cancel!).ConfigureAwait(false);
        switch (outcome)
        {
            case TriggerCancelOutcome.NotFound:
                await ApiResponses.WriteErrorAsync(context, ApiError.TriggerNotFound(triggerId)).ConfigureAwait(false);
                return;
            case TriggerCancelOutcome.AlreadyFinal:
                await ApiResponses.WriteErrorAsync(context, new ApiError(409, ErrorCodes.TriggerAlreadyFinal,
                    $"Trigger {triggerId} already ended with status {record!.Status}; only a trigger that has not ended can be cancelled.", "triggerId")).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = StatusCodes.Status200OK;
                await ApiResponses.WriteJsonAsync(context.Response, record!).ConfigureAwait(false);
                return;
        }
    }
}
