using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BatchPs.Aws.Batch;

/// <summary>
/// AWS Batch over its REST-JSON protocol (<c>POST /v1/describejobs</c>, signed for service <c>batch</c>), on
/// <see cref="AwsClientBase"/>'s signing and retries. Only what the read Lambda calls: DescribeJobs, and of each job only
/// what finds an attempt's log stream.
/// </summary>
public sealed class BatchClient : AwsRestJsonClient
{
    /// <summary>The most job ids one DescribeJobs call takes (the API reference's limit).</summary>
    public const int MaxJobs = 100;

    private static readonly IReadOnlyDictionary<string, string> JsonHeaders = new Dictionary<string, string> { ["Content-Type"] = "application/json" };

    /// <summary>Creates the client.</summary>
    public BatchClient(AwsClientSettings settings, HttpMessageHandler? handler = null)
        : base(settings, "batch", handler)
    {
    }

    /// <summary>
    /// The jobs of <paramref name="jobIds"/> that Batch still describes (<c>DescribeJobs</c>), in the order Batch answers;
    /// an id Batch does not know (or no longer keeps) is absent from the answer, not an error.
    /// </summary>
    public async Task<IReadOnlyList<BatchJobLogs>> DescribeJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Count is < 1 or > MaxJobs) throw new ArgumentOutOfRangeException(nameof(jobIds), jobIds.Count, $"DescribeJobs takes 1 to {MaxJobs} job ids.");
        var body = new JsonObject { ["jobs"] = new JsonArray(jobIds.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()) };
        var response = await SendAsync(HttpMethod.Post, "v1/describejobs", Encoding.UTF8.GetBytes(body.ToJsonString()), JsonHeaders, cancellationToken).ConfigureAwait(false);
        var answer = JsonAnswer("DescribeJobs", response);
        var jobs = new List<BatchJobLogs>();
        if (Get(answer, "jobs") is JsonArray list)
        {
            foreach (var job in list.OfType<JsonObject>())
            {
                var id = String(job, "jobId") ?? throw new AwsServiceException("InvalidResponse", "DescribeJobs answered a job without a jobId.", HttpStatusCode.OK, response.RequestId);
                var attempts = Get(job, "attempts") is JsonArray a
                    ? a.OfType<JsonObject>().Select(attempt => Get(attempt, "container") is JsonObject ended ? String(ended, "logStreamName") : null).ToList()
                    : new List<string?>();
                var container = Get(job, "container") as JsonObject;
                var array = Get(job, "arrayProperties") as JsonObject;
                jobs.Add(new BatchJobLogs(id, String(job, "status") ?? "", attempts, container is null ? null : String(container, "logStreamName"),
                    array is null ? null : Int(array, "size"), array is null ? null : Int(array, "index")));
            }
        }
        return jobs;
    }

    private static JsonNode? Get(JsonObject shape, string member) => shape[member];

    private static string? String(JsonObject shape, string member) => shape[member] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonObject shape, string member) => shape[member] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}

/// <summary>What DescribeJobs says of one job's log streams (the members of the API's <c>JobDetail</c> the log reader needs).</summary>
public sealed class BatchJobLogs
{
    /// <summary>Creates the job's description.</summary>
    public BatchJobLogs(string jobId, string status, IReadOnlyList<string?> attemptLogStreams, string? containerLogStream, int? arraySize, int? arrayIndex)
    {
        JobId = jobId;
        Status = status;
        AttemptLogStreams = attemptLogStreams;
        ContainerLogStream = containerLogStream;
        ArraySize = arraySize;
        ArrayIndex = arrayIndex;
    }

    /// <summary><c>jobId</c> (an array child's is <c>parentId:index</c>).</summary>
    public string JobId { get; }
    /// <summary><c>status</c>: SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED or FAILED.</summary>
    public string Status { get; }
    /// <summary>Each ended attempt's <c>attempts[].container.logStreamName</c>, oldest first (null where an attempt had no container).</summary>
    public IReadOnlyList<string?> AttemptLogStreams { get; }
    /// <summary><c>container.logStreamName</c>: the current (or last) attempt's stream.</summary>
    public string? ContainerLogStream { get; }
    /// <summary><c>arrayProperties.size</c>: set on an array parent.</summary>
    public int? ArraySize { get; }
    /// <summary><c>arrayProperties.index</c>: set on an array child.</summary>
    public int? ArrayIndex { get; }

    /// <summary>Whether an attempt runs now (STARTING or RUNNING), one more than <see cref="AttemptLogStreams"/> names.</summary>
    public bool Running => Status is "STARTING" or "RUNNING";

    /// <summary>How many attempts the job has made: the ended ones, and the one running now.</summary>
    public int Attempts => AttemptLogStreams.Count + (Running ? 1 : 0);

    /// <summary>The log stream of <paramref name="attempt"/> (1..<see cref="Attempts"/>); the running one's is the container's.</summary>
    public string? LogStream(int attempt) => attempt <= AttemptLogStreams.Count ? AttemptLogStreams[attempt - 1] : ContainerLogStream;
}
