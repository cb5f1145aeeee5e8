using System.Globalization;
using System.Text.Json;

namespace BatchPs.Core.Batch;

/// <summary>
/// The fields of an AWS Batch job description that a trigger record carries (about those of Batch's
/// <c>JobSummary</c>; the full <c>JobDetail</c> shape is the local stack's <c>BatchPs.LocalStack.Batch.BatchJobDetail</c>,
/// which the local runner stores and which reaches this class as JSON, as Batch's events reach the Lambda). Read from any of the
/// shapes Batch data arrives in: the <c>detail</c> of a "Batch Job State Change" event and the
/// DescribeJobs API (camelCase), or the output and failure <c>Cause</c> of Step Functions'
/// <c>batch:submitJob.sync</c> (PascalCase). Member names are matched case-insensitively.
/// </summary>
public sealed class BatchJobSummary
{
    /// <summary>The Batch job id.</summary>
    public string? JobId { get; set; }
    /// <summary>The Batch job name.</summary>
    public string? JobName { get; set; }
    /// <summary>The job queue ARN.</summary>
    public string? JobQueue { get; set; }
    /// <summary>The Batch status: SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEEDED or FAILED.</summary>
    public string? Status { get; set; }
    /// <summary>Why the job is in its status (for RUNNABLE: what it waits for).</summary>
    public string? StatusReason { get; set; }
    /// <summary>When the job's container started.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>When the job's container stopped.</summary>
    public DateTimeOffset? StoppedAt { get; set; }
    /// <summary>Exit code of the container (the job's, else its last attempt's).</summary>
    public int? ExitCode { get; set; }
    /// <summary>The CloudWatch log stream of the container (the job's, else its last attempt's).</summary>
    public string? LogStreamName { get; set; }
    /// <summary>Number of attempts so far.</summary>
    public int? Attempts { get; set; }
    /// <summary>Array jobs: child counts by status (<c>arrayProperties.statusSummary</c>).</summary>
    public Dictionary<string, int>? ArrayStatusSummary { get; set; }
    /// <summary>The job's tags.</summary>
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reads a job description; throws <see cref="FormatException"/> when it is not a JSON object.</summary>
    public static BatchJobSummary Parse(JsonElement job)
    {
        if (job.ValueKind != JsonValueKind.Object)
            throw new FormatException($"A Batch job description must be a JSON object, not {job.ValueKind}.");
        var detail = new BatchJobSummary
        {
            JobId = String(job, "jobId"),
            JobName = String(job, "jobName"),
            JobQueue = String(job, "jobQueue"),
            Status = String(job, "status"),
            StatusReason = String(job, "statusReason"),
            StartedAt = Time(job, "startedAt"),
            StoppedAt = Time(job, "stoppedAt"),
        };

        var container = Get(job, "container");
        detail.ExitCode = container is { } c ? Int(c, "exitCode") : null;
        detail.LogStreamName = container is { } c2 ? String(c2, "logStreamName") : null;
        if (Get(job, "attempts") is { ValueKind: JsonValueKind.Array } attempts)
        {
            detail.Attempts = attempts.GetArrayLength();
            if (attempts.GetArrayLength() > 0 && Get(attempts[attempts.GetArrayLength() - 1], "container") is { } last)
            {
                detail.ExitCode ??= Int(last, "exitCode");
                detail.LogStreamName ??= String(last, "logStreamName");
            }
        }
        if (Get(job, "arrayProperties") is { } array && Get(array, "statusSummary") is { ValueKind: JsonValueKind.Object } summary)
        {
            detail.ArrayStatusSummary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var count in summary.EnumerateObject())
            {
                if (count.Value.ValueKind == JsonValueKind.Number && count.Value.TryGetInt32(out var n))
                    detail.ArrayStatusSummary[count.Name.ToUpperInvariant()] = n;
            }
        }
        if (Get(job, "tags") is { ValueKind: JsonValueKind.Object } tags)
        {
            foreach (var tag in tags.EnumerateObject())
            {
                if (tag.Value.ValueKind == JsonValueKind.String) detail.Tags[tag.Name] = tag.Value.GetString()!;
            }
        }
        return detail;
    }

    private static JsonElement? Get(JsonElement o, string name)
    {
        if (o.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in o.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null)
                return p.Value;
        }
        return null;
    }

    private static string? String(JsonElement o, string name) =>
        Get(o, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static int? Int(JsonElement o, string name) =>
        Get(o, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;

    /// <summary>Batch times are epoch milliseconds (numbers); ISO strings are accepted too.</summary>
    private static DateTimeOffset? Time(JsonElement o, string name) => Get(o, name) switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        { ValueKind: JsonValueKind.String } v when DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => null,
    };
}
