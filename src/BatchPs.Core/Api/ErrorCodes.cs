namespace BatchPs.Core.Api;

/// <summary>
/// The stable error codes of the trigger API. Both servers (API Gateway and the local stack) answer
/// errors as <c>{"code": "...", "message": "..."}</c> with one of these codes; clients switch on the
/// code, never on the message.
/// </summary>
public static class ErrorCodes
{
    /// <summary>400: the body is not valid JSON.</summary>
    public const string InvalidJson = "InvalidJson";
    /// <summary>400: the JSON is well formed but a field is missing, of the wrong type or out of range.</summary>
    public const string InvalidRequest = "InvalidRequest";
    /// <summary>400: the job name is not in the catalog.</summary>
    public const string UnknownJob = "UnknownJob";
    /// <summary>400: a parameter is not declared by the catalog entry, or a required one is missing.</summary>
    public const string InvalidParameter = "InvalidParameter";
    /// <summary>400: the trigger overrides a field its catalog entry does not allow.</summary>
    public const string OverrideNotAllowed = "OverrideNotAllowed";
    /// <summary>413: the body is larger than <see cref="Limits.MaxBodyBytes"/>.</summary>
    public const string BodyTooLarge = "BodyTooLarge";
    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    /// <summary>403: the API key (or signature) is missing or wrong.</summary>
    public const string Forbidden = "Forbidden";
    /// <summary>404: no trigger has that id.</summary>
    public const string TriggerNotFound = "TriggerNotFound";
    /// <summary>409: the trigger already ended (SUCCEEDED, FAILED, REJECTED), so it cannot be cancelled; the message names its status.</summary>
    public const string TriggerAlreadyFinal = "TriggerAlreadyFinal";
    /// <summary>400: <c>GET /triggers/{id}/log</c> of an array job's parent, which has no log of its own; the message names the <c>child</c> query parameter and the range.</summary>
    public const string ArrayParent = "ArrayParent";
    /// <summary>404: no such route.</summary>
    public const string NotFound = "NotFound";
    /// <summary>405: the route exists but not with that method.</summary>
    public const string MethodNotAllowed = "MethodNotAllowed";
    /// <summary>409: the idempotency key was used for a different request (job, client, parameters or overrides); the message names what differs.</summary>
    public const string IdempotencyKeyConflict = "IdempotencyKeyConflict";
    /// <summary>429: too many requests; retry after the <c>Retry-After</c> header.</summary>
    public const string Throttled = "Throttled";
    /// <summary>500: the server failed; nothing the caller can fix. Safe to retry with the same idempotency key.</summary>
    public const string InternalError = "InternalError";
    /// <summary>
    /// 507 (local stack only): the disk of the stack's data folder is full, so nothing was stored; the message names
    /// the folder. Not retried by the client: someone has to free space first.
    /// </summary>
    public const string StorageFull = "StorageFull";
    /// <summary>503: the server is starting or stopping; retry.</summary>
    public const string ServiceUnavailable = "ServiceUnavailable";
}
