using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.StateMachine.Integrations.Batch;

/// <summary>
/// <c>arn:aws:states:::batch:submitJob.sync</c> (developer guide, "Run AWS Batch workloads with Step Functions"):
/// submits the job, waits for it without polling transitions, and returns the job detail when it SUCCEEDED; when
/// it FAILED the task fails with <c>States.TaskFailed</c> and the job detail as JSON in Cause.
/// </summary>
public sealed class BatchSubmitJobSyncResource : ITaskResource, ITaskParametersValidator
{
    /// <summary>The Resource ARN this implements.</summary>
    public const string Arn = "arn:aws:states:::batch:submitJob.sync";

    private static readonly string[] Required = ["JobName", "JobQueue", "JobDefinition"];

    private static readonly string[] Known =
    [
        "JobName", "JobQueue", "JobDefinition", "ArrayProperties", "ContainerOverrides", "DependsOn", "EcsPropertiesOverride",
        "EksPropertiesOverride", "NodeOverrides", "Parameters", "PropagateTags", "RetryStrategy", "SchedulingPriorityOverride",
        "ShareIdentifier", "Tags", "Timeout", "ConsumableResourcePropertiesOverride",
    ];

    private readonly IBatchJobService _jobs;

    /// <summary>Creates the resource over <paramref name="jobs"/>.</summary>
    public BatchSubmitJobSyncResource(IBatchJobService jobs)
    {
        _jobs = jobs ?? throw new ArgumentNullException(nameof(jobs));
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(JsonNode? parameters)
    {
        if (parameters is null)
        {
            return []; // The effective input is the SubmitJob request (e.g. InputPath "$.submitJob"); checked at run time.
        }
        if (parameters is not JsonObject obj)
        {
            return ["Parameters must be an object with the SubmitJob request fields"];
        }
        var names = obj.Select(p => p.Key.EndsWith(".$", StringComparison.Ordinal) ? p.Key[..^2] : p.Key).ToList();
        return Required.Where(r => !names.Contains(r)).Select(r => $"the field '{r}' is required")
            .Concat(names.Where(n => !Known.Contains(n)).Select(n => $"'{n}' is not a SubmitJob field"))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        if (invocation.Parameters is not JsonObject request)
        {
            throw new StatesErrorException("Batch.ClientException", "The SubmitJob request must be a JSON object with JobName, JobQueue and JobDefinition.");
        }
        var missing = Required.Where(r => request[r] is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length == 0).ToList();
        if (missing.Count > 0)
        {
            throw new StatesErrorException("Batch.ClientException", $"The SubmitJob request needs {string.Join(", ", missing)}.");
        }
        var jobId = await _jobs.SubmitJobAsync((JsonObject)request.DeepClone(), invocation.InvocationId, cancellationToken).ConfigureAwait(false);
        var detail = await _jobs.WaitForFinalAsync(jobId, cancellationToken).ConfigureAwait(false);
        var status = detail["Status"]?.GetValue<string>();
        return status switch
        {
            "SUCCEEDED" => detail,
            "FAILED" => throw new StatesErrorException(StatesErrors.TaskFailed, detail.ToJsonString()),
            _ => throw new InvalidOperationException($"The job service returned job {jobId} in status '{status}', which is not final."),
        };
    }
}
