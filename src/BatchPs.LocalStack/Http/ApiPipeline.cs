using BatchPs.Core.Api;
using BatchPs.LocalStack.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Http;

/// <summary>
/// The HTTP pipeline around the routes: JSON errors for failures (malformed requests 400, bodies over the limit
/// 413, a full disk under the data folder 507, anything else 500), the <c>x-api-key</c> check before any route (403), and JSON fallbacks: a declared route
/// with another method is 405 with <c>Allow</c>, an unknown route is 404.
/// </summary>
internal static class ApiPipeline
{
    /// <summary>Builds the whole API on <paramref name="app"/>: middleware, <see cref="TriggerApi"/>'s routes, fallbacks.</summary>
    public static void MapLocalStackApi(this WebApplication app)
    {
        app.Use(HandleErrorsAsync);
        var apiKey = app.Services.GetRequiredService<ApiKeyCheck>();
        app.Use((context, next) => apiKey.IsValid(context.Request.Headers[ApiKeyCheck.HeaderName].ToString())
            ? next(context)
            : ApiResponses.WriteErrorAsync(context, new ApiError(403, ErrorCodes.Forbidden, $"The '{ApiKeyCheck.HeaderName}' header is missing or wrong. Pass the local stack's API key (Send-BatchTrigger -ApiKey, or the BATCHPS_API_KEY environment variable).")));
        TriggerApi.Map(app);
        MapMethodNotAllowed(app);
        app.MapFallback("{*path}", NotFoundAsync);
    }

    private static async Task HandleErrorsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var error = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiResponses.TooLarge(context.Request.ContentLength ?? Limits.MaxBodyBytes + 1L)
                : new ApiError(ex.StatusCode, ErrorCodes.InvalidRequest, "The HTTP request is malformed: " + ex.Message);
            await ApiResponses.WriteErrorAsync(context, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFaults.IsDiskFull(ex) && !context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            var folder = context.RequestServices.GetRequiredService<DataFolder>().Path;
            context.RequestServices.GetRequiredService<ILogger>().LogError("{Method} {Path}: the disk of the data folder '{Folder}' is full: {Message}",
                context.Request.Method, context.Request.Path, folder, ex.Message);
            await ApiResponses.WriteErrorAsync(context, new ApiError(507, ErrorCodes.StorageFull,
                $"The disk of the local stack's data folder '{folder}' is full, so nothing was stored. Free space on that disk (or restart the stack with another --data folder), then send again with the same idempotency key.")).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILogger>().LogError(ex, "{Method} {Path} failed.", context.Request.Method, context.Request.Path);
            await ApiResponses.WriteErrorAsync(context, new ApiError(500, ErrorCodes.InternalError, "The local stack failed to handle the request; it is safe to retry with the same idempotency key. See the local stack's output for details.")).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// For every route declared so far, the other methods get a JSON 405 naming the allowed ones (an endpoint that
    /// matches any method, ordered after the declared ones, so a route added later gets its 405 with no edit here).
    /// </summary>
    private static void MapMethodNotAllowed(IEndpointRouteBuilder app)
    {
        var declared = app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText!, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Methods is not null)
            .GroupBy(e => e.Pattern, StringComparer.Ordinal)
            .ToList();
        foreach (var route in declared)
        {
            var allowed = string.Join(", ", route.SelectMany(e => e.Methods!).Distinct(StringComparer.OrdinalIgnoreCase));
            app.Map(route.Key, context =>
            {
                context.Response.Headers.Allow = allowed;
                return ApiResponses.WriteErrorAsync(context, new ApiError(405, ErrorCodes.MethodNotAllowed, $"'{context.Request.Method} {context.Request.Path}' is not supported; use {allowed}."));
            }).WithOrder(1);
        }
    }

    private static Task NotFoundAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.Length > 1 && path.EndsWith('/')) path = path[..^1];
        return ApiResponses.WriteErrorAsync(context, new ApiError(404, ErrorCodes.NotFound, $"No route '{context.Request.Method} {path}'. The routes are {TriggerApi.RouteList}."));
    }
}
