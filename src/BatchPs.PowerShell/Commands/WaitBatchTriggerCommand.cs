using System.Management.Automation;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Waits until triggers reach a final status, showing progress, and returns their final records.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "BatchTrigger")]
[OutputType(typeof(TriggerRecord))]
public sealed class WaitBatchTriggerCommand : BatchTriggerCommandBase
{
    private static int _nextActivityId = 1000;

    /// <summary>The trigger to wait for (binds from Send-BatchTrigger's output).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string TriggerId { get; set; } = "";

    /// <summary>Most seconds to wait for each trigger; -1 (default) waits for ever.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = ResolveClient();
        var waiter = new TriggerWaiter(client, TriggerId, Timeout < 0 ? null : TimeSpan.FromSeconds(Timeout));
        var activityId = Interlocked.Increment(ref _nextActivityId);
        var activity = $"Waiting for trigger {TriggerId}";
        var statusDescription = "Reading status";
        TriggerStatus? lastStatus = null;
        var completed = false;
        // The bar is completed before the result or error is written, so it never outlives the wait.
        void Complete()
        {
            if (completed || StopToken.IsCancellationRequested) return;
            completed = true;
            WriteProgress(new ProgressRecord(activityId, activity, statusDescription) { RecordType = ProgressRecordType.Completed });
        }
        try
        {
            while (true)
            {
                TriggerRecord? record;
                try
                {
                    record = Run(waiter.NextAsync(StopToken));
                }
                catch (BatchTriggerException ex)
                {
                    Complete();
                    WriteError(BatchPsErrors.FromApi(ex, TriggerId));
                    return;
                }
                if (record is null)
                {
                    Complete();
                    WriteTimeout(waiter);
                    return;
                }
                if (record.Status != lastStatus)
                {
                    WriteVerbose($"Trigger {record.TriggerId} is {record.Status} after {Format(waiter.Elapsed)}{(record.StatusReason is null ? "" : ": " + record.StatusReason)}.");
                    lastStatus = record.Status;
                }
                activity = $"Waiting for trigger {record.TriggerId} (job '{record.JobName}')";
                statusDescription = $"{record.Status} - {Format(waiter.Elapsed)} elapsed";
                WriteProgress(new ProgressRecord(activityId, activity, statusDescription)
                {
                    CurrentOperation = record.StatusReason,
                    SecondsRemaining = waiter.Remaining is { } left ? (int)Math.Ceiling(left.TotalSeconds) : -1,
                });
                if (record.IsFinal)
                {
                    Complete();
                    WriteWithEndpoint(record, client);
                    if (record.Status != TriggerStatus.SUCCEEDED) WriteError(BatchPsErrors.FromEnded(new TriggerEndedException(record)));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            Complete();
        }
    }

    private void WriteTimeout(TriggerWaiter waiter)
    {
        var last = waiter.Last;
        var message = $"Trigger {waiter.TriggerId} did not finish within {Timeout} s; it is still {last?.Status.ToString() ?? "unknown"}"
            + (last?.StatusReason is { } reason ? $" ({reason})" : "")
            + ". It goes on running: wait again with Wait-BatchTrigger, or raise -Timeout.";
        WriteError(BatchPsErrors.Create(new TimeoutException(message), "WaitTimeout", ErrorCategory.OperationTimeout, (object?)last ?? waiter.TriggerId));
    }

    private static string Format(TimeSpan elapsed) => elapsed.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);
}
