using System.Text.Json;

namespace BatchPs.Core.Api;

/// <summary>
/// The optional body of <c>POST /triggers/{id}/cancel</c>: <c>{"reason": "...", "client": "..."}</c>, both optional.
/// <see cref="Parse"/> holds the rules every server applies (an empty body is no reason and no client).
/// </summary>
public sealed class TriggerCancelRequest
{
    /// <summary>The longest reason accepted, in characters.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>The status reason a cancel without one writes.</summary>
    public const string DefaultReason = "Cancelled by request.";

    /// <summary>Why the trigger is cancelled; becomes the record's status reason. Null: <see cref="DefaultReason"/>.</summary>
    public string? Reason { get; set; }

    /// <summary>Who cancels (a label, as <c>POST /triggers</c>' client); becomes the record's <c>cancelledBy</c>.</summary>
    public string? Client { get; set; }

    /// <summary>The request a body holds, or the 400 that says what is wrong with it. An empty body is an empty request.</summary>
    public static (TriggerCancelRequest? Request, ApiError? Error) Parse(ReadOnlyMemory<byte> utf8Body)
    {
        var request = new TriggerCancelRequest();
        if (IsBlank(utf8Body.Span)) return (request, null);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body);
        }
        catch (JsonException ex)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidJson, $"The body is not valid JSON: {ex.Message} Send {{\"reason\": \"...\"}} or no body."));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, new ApiError(400, ErrorCodes.InvalidRequest, "The body must be a JSON object such as {\"reason\": \"...\"}, or empty."));
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("reason" or "client"))
                    return (null, ApiError.Invalid(property.Name, $"Unknown field '{property.Name}'. The fields are: reason, client (names are case-sensitive)."));
                if (property.Value.ValueKind == JsonValueKind.Null) continue;
                if (property.Value.ValueKind != JsonValueKind.String)
                    return (null, ApiError.Invalid(property.Name, $"'{property.Name}' must be a string."));
                var value = property.Value.GetString()!;
                var limit = property.Name == "reason" ? MaxReasonLength : Limits.MaxClientLength;
                if (value.Length > limit)
                    return (null, ApiError.Invalid(property.Name, $"'{property.Name}' is {value.Length} characters; the limit is {limit}."));
                if (value.Any(char.IsControl))
                    return (null, ApiError.Invalid(property.Name, $"'{property.Name}' contains control characters (such as a newline or tab); use one plain line."));
                if (value.Length == 0) continue;
                if (property.Name == "reason") request.Reason = value;
                else request.Client = value;
            }
        }
        return (request, null);
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        }
        return true;
    }
}
