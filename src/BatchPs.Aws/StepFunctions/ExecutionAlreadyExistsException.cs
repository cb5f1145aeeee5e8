using System.Net;

namespace BatchPs.Aws.StepFunctions;

/// <summary>Step Functions' <c>ExecutionAlreadyExists</c>: an execution of that name exists (other input, or ended).</summary>
public sealed class ExecutionAlreadyExistsException : AwsServiceException
{
    /// <summary>The error code Step Functions answers with.</summary>
    public const string Code = "ExecutionAlreadyExists";

    /// <summary>Creates the exception.</summary>
    public ExecutionAlreadyExistsException(string message, HttpStatusCode statusCode, string? requestId)
        : base(Code, message, statusCode, requestId)
    {
    }
}
