using System.Management.Automation;
using BatchPs.Core.Api;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell;

/// <summary>
/// Builds the module's error records: stable ids (<c>BatchPs.&lt;Code&gt;</c>), the category that fits
/// the cause, the real target object, and the original exception kept.
/// </summary>
internal static class BatchPsErrors
{
    /// <summary>The prefix of every error id.</summary>
    public const string Prefix = "BatchPs.";

    /// <summary>An error record for a failed API call; <paramref name="target"/> is what it was about (trigger id, job name).</summary>
    public static ErrorRecord FromApi(BatchTriggerException exception, object? target)
    {
        var record = new ErrorRecord(exception, Prefix + exception.Code, CategoryOf(exception.Code), target);
        if (exception.RetriesNote is { } note) record.ErrorDetails = new ErrorDetails(MessageText.Sentences(exception.Message, note));
        return record;
    }

    /// <summary>An error record for a trigger that ended FAILED, REJECTED or CANCELLED.</summary>
    public static ErrorRecord FromEnded(TriggerEndedException exception)
    {
        var (id, category) = exception.Record.Status switch
        {
            TriggerStatus.REJECTED => ("TriggerRejected", ErrorCategory.InvalidArgument),
            TriggerStatus.CANCELLED => ("TriggerCancelled", ErrorCategory.OperationStopped),
            _ => ("TriggerFailed", ErrorCategory.InvalidResult),
        };
        return new ErrorRecord(exception, Prefix + id, category, exception.Record);
    }

    /// <summary>An error record of the module's own (not from the API).</summary>
    public static ErrorRecord Create(Exception exception, string id, ErrorCategory category, object? target) =>
        new(exception, Prefix + id, category, target);

    private static ErrorCategory CategoryOf(string code) => code switch
    {
        ErrorCodes.TriggerNotFound or ErrorCodes.NotFound => ErrorCategory.ObjectNotFound,
        ErrorCodes.UnknownJob or ErrorCodes.InvalidParameter or ErrorCodes.InvalidRequest or ErrorCodes.InvalidJson
            or ErrorCodes.OverrideNotAllowed or ErrorCodes.ArrayParent => ErrorCategory.InvalidArgument,
        ErrorCodes.TriggerAlreadyFinal => ErrorCategory.InvalidOperation,
        ErrorCodes.IdempotencyKeyConflict => ErrorCategory.ResourceExists,
        ErrorCodes.BodyTooLarge or ErrorCodes.Throttled => ErrorCategory.LimitsExceeded,
        ErrorCodes.Forbidden => ErrorCategory.PermissionDenied,
        ErrorCodes.UnsupportedMediaType or ErrorCodes.MethodNotAllowed => ErrorCategory.ProtocolError,
        ErrorCodes.InternalError or ErrorCodes.ServiceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorCodes.StorageFull => ErrorCategory.WriteError,
        ClientErrorCodes.ConnectionFailed => ErrorCategory.ConnectionError,
        ClientErrorCodes.Timeout => ErrorCategory.OperationTimeout,
        ClientErrorCodes.InvalidResponse => ErrorCategory.ProtocolError,
        ClientErrorCodes.CredentialsUnavailable => ErrorCategory.AuthenticationError,
        _ => ErrorCategory.NotSpecified,
    };
}
