using System.Management.Automation;
using BatchPs.Core.Api;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists triggers, newest first, filtered by job, status, client and time; reads page after page as the pipeline consumes them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTrigger")]
[OutputType(typeof(TriggerRecord))]
public sealed class GetBatchTriggerCommand : BatchTriggerCommandBase
{
    /// <summary>Only triggers of this catalog job.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobNameCompleter))]
    public string? JobName { get; set; }

    /// <summary>Only triggers in one of these statuses.</summary>
    [Parameter]
    public TriggerStatus[]? Status { get; set; }

    /// <summary>Only triggers sent with this client label.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Client { get; set; }

    /// <summary>Only triggers created at or after this time (a time without a zone is local time).</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>Only triggers created before this time.</summary>
    [Parameter]
    public DateTime? Until { get; set; }

    /// <summary>At most this many triggers (default: every match).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var client = ResolveClient();
        var query = new TriggerListQuery
        {
            JobName = JobName,
            Statuses = Status?.Distinct().ToList() ?? new List<TriggerStatus>(),
            Client = Client,
            Since = Since is { } since ? new DateTimeOffset(since.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(since, DateTimeKind.Local) : since) : null,
            Until = Until is { } until ? new DateTimeOffset(until.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(until, DateTimeKind.Local) : until) : null,
            Limit = Math.Min(First ?? 100, 100),
        };
        var left = First ?? int.MaxValue;
        string? token = null;
        try
        {
            do
            {
                var page = Run(client.ListPageAsync(query, token, StopToken));
                foreach (var record in page.Triggers)
                {
                    WriteWithEndpoint(record, client);
                    if (--left == 0) return;
                }
                token = page.NextToken;
            }
            while (token is not null);
        }
        catch (BatchTriggerException ex)
        {
            throw Terminate(BatchPsErrors.FromApi(ex, JobName ?? (object)client.Endpoint));
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
