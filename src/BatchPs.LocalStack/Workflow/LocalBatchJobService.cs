using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BatchPs.LocalStack.Batch;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Integrations.Batch;

namespace BatchPs.LocalStack.Workflow;

/// <summary>
/// The local Batch behind <c>batch:submitJob.sync</c>: submits with the task invocation id as the
/// idempotency token (a resumed execution re-attaches to its job) and returns the DescribeJobs job
/// detail in the PascalCase form Step Functions returns it.
/// </summary>
internal sealed class LocalBatchJobService : IBatchJobService
{
    private static readonly JsonSerializerOptions PascalCase = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly LocalBatch _batch;

    public LocalBatchJobService(LocalBatch batch)
    {
        _batch = batch;
    }

    /// <inheritdoc />
    public async Task<string> SubmitJobAsync(JsonObject request, string idempotencyToken, CancellationToken cancellationToken)
    {
        try
        {
            return await _batch.SubmitJobAsync(SubmitJobRequest.FromJson(request), idempotencyToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BatchClientException or JsonException)
        {
            // As AWS Batch answers a request it refuses (400 ClientException), in Step Functions' error naming.
            throw new StatesErrorException("Batch.ClientException", ex.Message);
        }
    }

    /// <inheritdoc />
    public async Task<JsonObject> WaitForFinalAsync(string jobId, CancellationToken cancellationToken)
    {
        BatchJobDetail? last = null;
        await foreach (var detail in _batch.WatchAsync(jobId, cancellationToken).ConfigureAwait(false)) last = detail;
        return JsonSerializer.SerializeToNode(last, PascalCase)!.AsObject();
    }
}
