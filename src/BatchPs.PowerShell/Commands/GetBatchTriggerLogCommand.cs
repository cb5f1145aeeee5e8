using System.Management.Automation;
using BatchPs.Core.Api;
using BatchPs.Core.Client;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the log lines of a trigger's job, with the time of each line; -Tail for the last lines, -Wait to follow a running job until it ends.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerLog")]
[OutputType(typeof(TriggerLogEvent))]
public sealed class GetBatchTriggerLogCommand : BatchTriggerCommandBase
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The trigger (a plain id string, or an object with a TriggerId property).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TriggerIdCompleter))]
    public string TriggerId { get; set; } = "";

    /// <summary>The attempt (default: the latest).</summary>
    [Parameter]
    [ValidateRange(1, 10)]
    public int? Attempt { get; set; }

    /// <summary>For an array job: the child whose log to read.</summary>
    [Parameter]
    [ValidateRange(0, 9999)]
    public int? Child { get; set; }

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(1, TriggerLogQuery.MaxLimit)]
    public int? Tail { get; set; }

    /// <summary>Keeps reading new lines until the trigger ends (Ctrl+C stops).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = ResolveClient();
        try
        {
            Follow(client);
        }
        catch (BatchTriggerException ex)
        {
            WriteError(BatchPsErrors.FromApi(ex, TriggerId));
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private void Follow(BatchTriggerClient client)
    {
        var query = new TriggerLogQuery { Attempt = Attempt, Child = Child, Limit = Tail ?? TriggerLogQuery.DefaultLimit, FromTail = Tail.HasValue };
        string? token = null;
        var current = 0;    // the attempt being read (0: none yet)
        var done = false;   // the current attempt's log was read to its end and will not grow
        var endSeen = false; // the trigger was seen final before any attempt was read: one more read, then stop
        while (true)
        {
            var more = false;
            if (!done)
            {
                var page = Run(client.GetLogAsync(TriggerId, query, token, StopToken));
                foreach (var line in page.Events) WriteObject(line);
                // After a tail, go on forward from where it ended, in the same attempt.
                query.FromTail = false;
                query.Limit = TriggerLogQuery.DefaultLimit;
                if (page.Attempt > 0) query.Attempt = current = page.Attempt;
                if (page.NextToken is not null)
                {
                    token = page.NextToken;
                    more = page.Events.Count > 0;
                }
                else
                {
                    done = page.Attempt > 0;
                }
            }
            if (more) continue;
            if (!Wait) return;
            if (done && Attempt is null)
            {
                // A retry writes a new attempt: follow it from its start.
                var latest = Run(client.GetLogAsync(TriggerId, new TriggerLogQuery { Child = Child, Limit = 1, FromTail = true }, null, StopToken));
                if (latest.Attempts > current)
                {
                    query.Attempt = current + 1;
                    token = null;
                    done = false;
                    continue;
                }
            }
            if ((done || current == 0) && Run(client.GetAsync(TriggerId, cancellationToken: StopToken)).IsFinal)
            {
                if (done || endSeen) return;
                endSeen = true;
                continue;
            }
            Run(Task.Delay(PollInterval, StopToken).ContinueWith(_ => true, TaskScheduler.Default));
            StopToken.ThrowIfCancellationRequested();
        }
    }
}
