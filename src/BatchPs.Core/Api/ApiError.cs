namespace BatchPs.Core.Api;

/// <summary>An error as the trigger API returns it: a stable <see cref="Code"/> and a message for people.</summary>
public sealed class ApiError
{
    /// <summary>Creates an error.</summary>
    public ApiError(int statusCode, string code, string message, string? field = null)
    {
        StatusCode = statusCode;
        Code = code;
        Message = message;
        Field = field;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }
    /// <summary>One of <see cref="ErrorCodes"/>.</summary>
    public string Code { get; }
    /// <summary>What was wrong and how to fix it.</summary>
    public string Message { get; }
    /// <summary>The request field at fault (for example <c>parameters.date</c>), when there is one.</summary>
    public string? Field { get; }

    /// <summary>400 <see cref="ErrorCodes.InvalidRequest"/> about one field.</summary>
    public static ApiError Invalid(string field, string message) => new(400, ErrorCodes.InvalidRequest, message, field);

    /// <summary>404 <see cref="ErrorCodes.TriggerNotFound"/> for an id no trigger has.</summary>
    public static ApiError TriggerNotFound(string triggerId) =>
        new(404, ErrorCodes.TriggerNotFound, $"No trigger has id '{QueryParameters.Shorten(triggerId ?? "")}'. Check the id Send-BatchTrigger returned.", "triggerId");

    /// <inheritdoc />
    public override string ToString() => $"{StatusCode} {Code}: {Message}";
}
