namespace BatchPs.Core.Client;

/// <summary>
/// A trigger API call failed: the server refused it (<see cref="StatusCode"/> and the API's stable
/// <see cref="Code"/>), or it could not be reached after the retries (<see cref="ClientErrorCodes"/>).
/// </summary>
public sealed class BatchTriggerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BatchTriggerException(string code, string message, int? statusCode = null, string? field = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        StatusCode = statusCode;
        Field = field;
    }

    /// <summary>The stable error code: one of <see cref="BatchPs.Core.Api.ErrorCodes"/> or <see cref="ClientErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The HTTP status of the last answer; null when no answer came.</summary>
    public int? StatusCode { get; }

    /// <summary>The request field at fault (for example <c>parameters.date</c>), when the server named one.</summary>
    public string? Field { get; }

    /// <summary>Attempts made before giving up (1 when the first answer was final).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>How long the retries went on, when there were any ("Gave up after 9 attempts in 121 s."); null otherwise.</summary>
    public string? RetriesNote { get; internal set; }
}
