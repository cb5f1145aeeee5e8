using System.Collections;
using System.Management.Automation;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sends a trigger that starts a catalog job.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "BatchTrigger", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TriggerRecord))]
public sealed class SendBatchTriggerCommand : BatchTriggerCommandBase
{
    /// <summary>The catalog job to start.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobName { get; set; } = "";

    /// <summary>Job parameters: string values (numbers, booleans, dates and GUIDs are converted invariantly).</summary>
    [Parameter(Position = 1)]
    [ValidateNotNull]
    public IDictionary? Parameter { get; set; }

    /// <summary>A label of the caller, stored with the trigger (default: this computer's name).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Client { get; set; } = Environment.MachineName;

    /// <summary>The idempotency key: the same key again returns the same trigger. Generated when absent.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_-]{1,64}$")]
    public string? IdempotencyKey { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Dictionary<string, string> parameters;
        try
        {
            parameters = TriggerParameterConverter.Convert(Parameter, value => value is PSObject wrapped ? wrapped.BaseObject : value);
        }
        catch (ArgumentException ex)
        {
            WriteError(BatchPsErrors.Create(ex, "InvalidParameterValue", ErrorCategory.InvalidArgument, Parameter));
            return;
        }
        var client = ResolveClient();
        if (!ShouldProcess($"job '{JobName}' at {client.Endpoint}", "Send trigger")) return;

        var request = new TriggerRequest
        {
            JobName = JobName,
            Client = Client,
            Parameters = parameters,
            IdempotencyKey = IdempotencyKey,
        };
        try
        {
            var record = Run(client.SendAsync(request, StopToken));
            WriteVerbose($"Trigger {record.TriggerId} for job '{record.JobName}' is {record.Status} (idempotency key {request.IdempotencyKey}).");
            WriteWithEndpoint(record, client);
        }
        catch (BatchTriggerException ex)
        {
            WriteError(BatchPsErrors.FromApi(ex, JobName));
        }
    }
}
