using System.Collections;
using System.Management.Automation;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sends a trigger that starts a catalog job.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "BatchTrigger", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SendSet)]
[OutputType(typeof(TriggerRecord))]
public sealed class SendBatchTriggerCommand : BatchTriggerCommandBase
{
    private const string SendSet = "Send";
    private const string WaitSet = "Wait";
    private readonly List<(BatchTriggerClient Client, string TriggerId)> _sent = new();

    /// <summary>The catalog job to start.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string JobName { get; set; } = "";

    /// <summary>Job parameters: string values (numbers, booleans, dates and GUIDs are converted invariantly).</summary>
    [Parameter(Position = 1)]
    [ValidateNotNull]
    public IDictionary? Parameter { get; set; }

    /// <summary>SubmitJob fields to override, as the catalog entry's allowOverrides permits: timeoutSeconds, retryAttempts, arraySize, schedulingPriority, shareIdentifier.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Override { get; set; }

    /// <summary>A label of the caller, stored with the trigger (default: this computer's name).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Client { get; set; } = Environment.MachineName;

    /// <summary>The idempotency key: the same key with the same request returns the same trigger; with another request it is an error. Generated when absent.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_-]{1,64}$")]
    public string? IdempotencyKey { get; set; }

    /// <summary>Waits until the trigger ends and writes its final record, as piping to Wait-BatchTrigger does.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WaitSet)]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: most seconds to wait for all the triggers sent; -1 (default) waits for ever.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Dictionary<string, string> parameters;
        TriggerOverrides? overrides;
        try
        {
            parameters = TriggerParameterConverter.Convert(Parameter, Unwrap);
        }
        catch (ArgumentException ex)
        {
            WriteError(BatchPsErrors.Create(ex, "InvalidParameterValue", ErrorCategory.InvalidArgument, Parameter));
            return;
        }
        try
        {
            overrides = TriggerParameterConverter.ConvertOverrides(Override, Unwrap);
        }
        catch (ArgumentException ex)
        {
            WriteError(BatchPsErrors.Create(ex, "InvalidOverride", ErrorCategory.InvalidArgument, Override));
            return;
        }
        var client = ResolveClient();
        if (!ShouldProcess($"job '{JobName}' at {client.Endpoint}", "Send trigger")) return;

        var request = new TriggerRequest
        {
            JobName = JobName,
            Client = Client,
            Parameters = parameters,
            Overrides = overrides,
            IdempotencyKey = IdempotencyKey,
        };
        try
        {
            var sent = Run(client.SendForResultAsync(request, Retries, StopToken));
            var record = sent.Record;
            WriteVerbose(sent.Replayed
                ? $"Idempotency key {request.IdempotencyKey} was used before with the same request: this is trigger {record.TriggerId} (job '{record.JobName}'), now {record.Status}; no new trigger was made."
                : $"Trigger {record.TriggerId} for job '{record.JobName}' is {record.Status} (idempotency key {request.IdempotencyKey}).");
            if (Wait) _sent.Add((client, record.TriggerId));
            else WriteWithEndpoint(record, client);
        }
        catch (BatchTriggerException ex)
        {
            WriteError(ApiError(ex, JobName, client));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Wait) WaitFor(_sent, Timeout, any: false);
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
