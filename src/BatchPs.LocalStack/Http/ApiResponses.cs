using System.Text.Json;
using BatchPs.Core.Api;
using Microsoft.AspNetCore.Http;

namespace BatchPs.LocalStack.Http;

/// <summary>How the API writes JSON: bodies in the local stack's JSON, errors as <c>{"code", "message", "field"}</c> with Core's codes.</summary>
internal static class ApiResponses
{
    /// <summary>The content type of every body.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Writes an error with its status code.</summary>
    public static Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        context.Response.StatusCode = error.StatusCode;
        return WriteJsonAsync(context.Response, new ErrorBody(error.Code, error.Message, error.Field));
    }

    /// <summary>Writes a JSON body.</summary>
    public static Task WriteJsonAsync<T>(HttpResponse response, T value)
    {
        response.ContentType = JsonContentType;
        return JsonSerializer.SerializeAsync(response.Body, value, LocalJson.Options);
    }

    /// <summary>The 413 of a body over <see cref="Limits.MaxBodyBytes"/>.</summary>
    public static ApiError TooLarge(long bytes) =>
        new(413, ErrorCodes.BodyTooLarge, $"The body is at least {bytes} bytes; the limit is {Limits.MaxBodyBytes} bytes (256 KiB). Pass large inputs by reference (for example a file path or an S3 URI in a parameter).");

    private sealed record ErrorBody(string Code, string Message, string? Field);
}
