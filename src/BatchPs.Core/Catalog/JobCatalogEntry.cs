using BatchPs.Core.Triggers;

namespace BatchPs.Core.Catalog;

/// <summary>
/// One job callers may start by name. The catalog is the security boundary: a caller starts only
/// jobs an admin registered, with only the parameters and overrides the entry allows. The same model
/// serves the cloud (job queue + job definition, stored in DynamoDB) and the local stack (a command
/// line, stored in a JSON file).
/// </summary>
public sealed class JobCatalogEntry
{
    /// <summary>The name callers pass as <c>jobName</c>.</summary>
    public string Name { get; set; } = "";
    /// <summary>What the job does, for people.</summary>
    public string? Description { get; set; }

    /// <summary>Cloud: the AWS Batch job queue (name or ARN).</summary>
    public string? JobQueue { get; set; }
    /// <summary>Cloud: the AWS Batch job definition (name, name:revision or ARN). Locally: optional label.</summary>
    public string? JobDefinition { get; set; }

    /// <summary>Local: the program and its arguments; an element <c>Ref::name</c> is replaced by parameter <c>name</c>, as AWS Batch does.</summary>
    public List<string>? Command { get; set; }
    /// <summary>Local: environment variables for the process.</summary>
    public Dictionary<string, string>? Environment { get; set; }
    /// <summary>Local: working folder of the process (relative paths are relative to the catalog file).</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Declared parameters and their defaults; a null default makes the parameter required. A trigger may pass only these.</summary>
    public Dictionary<string, string?> Parameters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Attempt timeout in seconds (Batch: <c>timeout.attemptDurationSeconds</c>).</summary>
    public int? TimeoutSeconds { get; set; }
    /// <summary>Retry strategy, passed through to SubmitJob as given (locally: attempts and exit-code rules are applied).</summary>
    public RetryStrategy? RetryStrategy { get; set; }
    /// <summary>Fair-share queues: the share identifier.</summary>
    public string? ShareIdentifier { get; set; }
    /// <summary>Fair-share queues: the scheduling priority override (0-9999).</summary>
    public int? SchedulingPriority { get; set; }
    /// <summary>Array jobs: the array size (2-10,000).</summary>
    public int? ArraySize { get; set; }
    /// <summary>Tags put on the submitted job.</summary>
    public Dictionary<string, string>? Tags { get; set; }
    /// <summary>Which of <see cref="OverrideNames.All"/> a trigger may override.</summary>
    public List<string> AllowOverrides { get; set; } = new();
}

/// <summary>AWS Batch's RetryStrategy, passed through unchanged.</summary>
public sealed class RetryStrategy
{
    /// <summary>Attempts in all (1-10).</summary>
    public int Attempts { get; set; } = 1;
    /// <summary>Rules that decide on retry by exit code or reason; the first match wins.</summary>
    public List<EvaluateOnExit>? EvaluateOnExit { get; set; }
}

/// <summary>One rule of <see cref="RetryStrategy.EvaluateOnExit"/>; patterns may end with <c>*</c>.</summary>
public sealed class EvaluateOnExit
{
    /// <summary>Pattern for the exit code (digits, optionally ending with <c>*</c>).</summary>
    public string? OnExitCode { get; set; }
    /// <summary>Pattern for the status reason.</summary>
    public string? OnStatusReason { get; set; }
    /// <summary>Pattern for the reason.</summary>
    public string? OnReason { get; set; }
    /// <summary><c>RETRY</c> or <c>EXIT</c>.</summary>
    public string Action { get; set; } = "RETRY";
}
