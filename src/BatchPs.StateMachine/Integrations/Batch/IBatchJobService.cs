using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Integrations.Batch;

/// <summary>
/// What <see cref="BatchSubmitJobSyncResource"/> needs from a Batch-like job service (the local stack's runner).
/// Job details are DescribeJobs job details in the PascalCase form Step Functions returns them
/// (<c>JobId</c>, <c>Status</c>, <c>StatusReason</c>, <c>Attempts</c>, <c>Container.ExitCode</c>, <c>Container.LogStreamName</c>...).
/// </summary>
public interface IBatchJobService
{
    /// <summary>
    /// Submits the job described by <paramref name="request"/> (the SubmitJob request, PascalCase) and returns its
    /// id. The same <paramref name="idempotencyToken"/> again must return the job already submitted, so a resumed
    /// execution re-attaches to its job instead of running it twice. A request the service refuses throws
    /// <see cref="Errors.StatesErrorException"/> named <c>Batch.ClientException</c>.
    /// </summary>
    Task<string> SubmitJobAsync(JsonObject request, string idempotencyToken, CancellationToken cancellationToken);

    /// <summary>Waits until the job is SUCCEEDED or FAILED and returns its detail.</summary>
    Task<JsonObject> WaitForFinalAsync(string jobId, CancellationToken cancellationToken);
}
