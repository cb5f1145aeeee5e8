using System.Collections;
using System.Globalization;
using System.Management.Automation;
using BatchPs.Core.Catalog;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Registers a job in the cloud job catalog: the name callers trigger, and the AWS Batch queue, definition and settings it runs with.</para>
/// <para type="description">The catalog is the security boundary: an API key lets a caller start only registered jobs, with
/// only the parameters and overrides their entry allows. Entries are validated before anything is written; an existing
/// entry is replaced only with -Force. -Path registers every job of a catalog file (the local stack's format).</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "BatchTriggerJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = FieldsSet)]
[OutputType(typeof(JobCatalogEntry))]
public sealed class RegisterBatchTriggerJobCommand : CatalogCommandBase
{
    private const string FieldsSet = "Fields";
    private const string EntrySet = "Entry";
    private const string PathSet = "Path";
    private readonly List<JobCatalogEntry> _entries = new();

    /// <summary>The job name callers pass to Send-BatchTrigger -JobName.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FieldsSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The AWS Batch job queue (name or ARN).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FieldsSet)]
    [ValidateNotNullOrEmpty]
    public string JobQueue { get; set; } = "";

    /// <summary>The AWS Batch job definition (name, name:revision or ARN).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FieldsSet)]
    [ValidateNotNullOrEmpty]
    public string JobDefinition { get; set; } = "";

    /// <summary>What the job does, for people.</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    public string? Description { get; set; }

    /// <summary>The parameters a trigger may pass, with defaults; a $null default makes the parameter required.</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateNotNull]
    public Hashtable? Parameter { get; set; }

    /// <summary>Attempt timeout in seconds (at least 60).</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateRange(60, int.MaxValue)]
    public int TimeoutSeconds { get; set; }

    /// <summary>Attempts in all (1-10), passed to SubmitJob's retry strategy.</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateRange(1, 10)]
    public int RetryAttempts { get; set; }

    /// <summary>Fair-share queues: the share identifier.</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateNotNullOrEmpty]
    public string? ShareIdentifier { get; set; }

    /// <summary>Fair-share queues: the scheduling priority (0-9999).</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateRange(0, 9999)]
    public int SchedulingPriority { get; set; } = -1;

    /// <summary>Array jobs: the array size (2-10,000).</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateRange(2, 10000)]
    public int ArraySize { get; set; }

    /// <summary>Tags put on each submitted job.</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateNotNull]
    public Hashtable? Tag { get; set; }

    /// <summary>Which settings a trigger may override: schedulingPriority, shareIdentifier, arraySize, timeoutSeconds, retryAttempts.</summary>
    [Parameter(ParameterSetName = FieldsSet)]
    [ValidateSet("schedulingPriority", "shareIdentifier", "arraySize", "timeoutSeconds", "retryAttempts")]
    public string[]? AllowOverride { get; set; }

    /// <summary>Catalog entries, for example from Get-BatchTriggerJob of another stack.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = EntrySet)]
    [ValidateNotNull]
    public JobCatalogEntry? InputObject { get; set; }

    /// <summary>A catalog file (<c>{"jobs": [...]}</c>, the local stack's format) whose every job is registered.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Replaces a job that is already registered.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case EntrySet:
                _entries.Add(InputObject!);
                break;
            case PathSet:
                var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path!);
                try
                {
                    _entries.AddRange(JobCatalogFile.Load(file, requireCommand: false));
                }
                catch (Exception ex) when (ex is CatalogException or IOException or UnauthorizedAccessException)
                {
                    throw Terminate(BatchPsErrors.Create(ex, "InvalidCatalogFile", ErrorCategory.InvalidData, file));
                }
                break;
            default:
                _entries.Add(FromFields());
                break;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var problems = _entries.Select(e => (Entry: e, Problems: JobCatalogRules.Validate(e, requireCommand: false, requireBatch: true))).Where(p => p.Problems.Count > 0).ToList();
        foreach (var (entry, list) in problems)
            WriteError(BatchPsErrors.Create(new PSArgumentException($"Job '{entry.Name}' is not a valid catalog entry: {string.Join(" ", list)}"), "InvalidCatalogEntry", ErrorCategory.InvalidArgument, entry.Name));
        var valid = _entries.Where(e => problems.All(p => !ReferenceEquals(p.Entry, e))).ToList();
        if (valid.Count == 0) return;

        var (admin, table) = OpenCatalog();
        using (admin)
        {
            foreach (var entry in valid)
            {
                if (!ShouldProcess($"{entry.Name} in {table}", Force ? "Register or replace the job" : "Register the job")) continue;
                try
                {
                    Await(admin.RegisterAsync(table, entry, Force, StopToken));
                    WriteObject(entry);
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    WriteError(ex is InvalidOperationException
                        ? BatchPsErrors.Create(ex, "JobAlreadyRegistered", ErrorCategory.ResourceExists, entry.Name)
                        : ErrorFor(ex, entry.Name));
                }
            }
        }
    }

    private JobCatalogEntry FromFields()
    {
        var entry = new JobCatalogEntry
        {
            Name = Name,
            Description = Description,
            JobQueue = JobQueue,
            JobDefinition = JobDefinition,
            TimeoutSeconds = TimeoutSeconds > 0 ? TimeoutSeconds : null,
            RetryStrategy = RetryAttempts > 0 ? new RetryStrategy { Attempts = RetryAttempts } : null,
            ShareIdentifier = ShareIdentifier,
            SchedulingPriority = SchedulingPriority >= 0 ? SchedulingPriority : null,
            ArraySize = ArraySize > 0 ? ArraySize : null,
            AllowOverrides = AllowOverride?.ToList() ?? new List<string>(),
        };
        foreach (DictionaryEntry pair in Parameter ?? new Hashtable())
            entry.Parameters[Text(pair.Key)!] = Text(pair.Value);
        if (Tag is not null)
        {
            entry.Tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry pair in Tag) entry.Tags[Text(pair.Key)!] = Text(pair.Value) ?? "";
        }
        return entry;
    }

    private static string? Text(object? value)
    {
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        return value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }
}
