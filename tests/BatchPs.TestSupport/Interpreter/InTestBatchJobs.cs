using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Integrations.Batch;

namespace BatchPs.TestSupport.Interpreter;

/// <summary>
/// An in-test job service behind the <see cref="IBatchJobService"/> seam. A job ends as its request's
/// <c>Parameters.outcome</c> says (SUCCEEDED by default, with exit code <c>Parameters.exitCode</c> or 0);
/// <c>Parameters.seconds</c> makes it run that long on the given clock; <see cref="ServerErrors"/> makes the next
/// submissions fail with Batch.ServerException.
/// </summary>
public sealed class InTestBatchJobs(TimeProvider? time = null) : IBatchJobService
{
    public ConcurrentDictionary<string, string> ByToken { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Requests { get; } = new();
    public int ServerErrors { get; set; }

    public Task<string> SubmitJobAsync(JsonObject request, string idempotencyToken, CancellationToken cancellationToken)
    {
        if (ServerErrors > 0)
        {
            ServerErrors--;
            throw new StatesErrorException("Batch.ServerException", "Internal server error (Service: AWSBatch; Status Code: 500)");
        }
        var id = ByToken.GetOrAdd(idempotencyToken, _ => "job-" + ByToken.Count);
        Requests[id] = request;
        return Task.FromResult(id);
    }

    public async Task<JsonObject> WaitForFinalAsync(string jobId, CancellationToken cancellationToken)
    {
        var request = Requests[jobId];
        if (request["Parameters"]?["seconds"]?.GetValue<string>() is { } seconds)
        {
            await Task.Delay(TimeSpan.FromSeconds(int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)), time ?? TimeProvider.System, cancellationToken);
        }
        var outcome = request["Parameters"]?["outcome"]?.GetValue<string>() ?? "SUCCEEDED";
        var exitCode = int.Parse(request["Parameters"]?["exitCode"]?.GetValue<string>() ?? (outcome == "FAILED" ? "2" : "0"), System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["JobId"] = jobId,
            ["JobName"] = request["JobName"]!.GetValue<string>(),
            ["JobQueue"] = request["JobQueue"]!.GetValue<string>(),
            ["Status"] = outcome,
            ["StatusReason"] = outcome == "FAILED" ? "Essential container in task exited" : null,
            ["Attempts"] = new JsonArray(new JsonObject { ["Container"] = new JsonObject { ["ExitCode"] = exitCode } }),
            ["Container"] = new JsonObject { ["ExitCode"] = exitCode, ["LogStreamName"] = "job/default/" + jobId },
        };
    }
}
