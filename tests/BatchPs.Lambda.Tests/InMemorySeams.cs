using System.Collections.Concurrent;
using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda.Tests;

/// <summary>A catalog of fixed entries.</summary>
internal sealed class InMemoryCatalog : IJobCatalog
{
    private readonly Dictionary<string, JobCatalogEntry> _entries;

    public InMemoryCatalog(params JobCatalogEntry[] entries) => _entries = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);

    public Task<JobCatalogEntry?> FindAsync(string jobName, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(jobName, out var e) ? e : null);

    public static JobCatalogEntry NightlyExport() => new()
    {
        Name = "nightly-export",
        JobQueue = "arn:aws:batch:eu-west-1:123456789012:job-queue/BatchPsQueue",
        JobDefinition = "nightly-export:3",
        Parameters = new Dictionary<string, string?> { ["date"] = null, ["region"] = "EMEA" },
        RetryStrategy = new RetryStrategy { Attempts = 2 },
    };
}

/// <summary>Executions by name, with Step Functions' rule: a name is used once.</summary>
internal sealed class InMemoryWorkflows : IWorkflowStarter
{
    public ConcurrentDictionary<string, string> Executions { get; } = new(StringComparer.Ordinal);
    public Func<string, Exception?> FailFor { get; set; } = _ => null;

    public Task<WorkflowStart> StartAsync(string executionName, string inputJson, CancellationToken cancellationToken)
    {
        if (FailFor(executionName) is { } error) throw error;
        var added = Executions.TryAdd(executionName, inputJson);
        return Task.FromResult(new WorkflowStart("arn:aws:states:eu-west-1:123456789012:execution:BatchPsTrigger:" + executionName, alreadyStarted: !added));
    }
}

/// <summary>Records by id with the forward-only rule of every store.</summary>
internal sealed class InMemoryStatus : ITriggerStatusWriter
{
    public ConcurrentDictionary<string, TriggerStatus> Status { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<TriggerUpdate> Applied { get; } = new();

    public Task<bool> ApplyAsync(TriggerUpdate update, CancellationToken cancellationToken)
    {
        lock (Status)
        {
            var current = Status.TryGetValue(update.TriggerId, out var s) ? s : TriggerStatus.RECEIVED;
            if (!TriggerStatusOrder.CanApply(current, update.Status)) return Task.FromResult(false);
            Status[update.TriggerId] = update.Status;
            Applied.Enqueue(update);
            return Task.FromResult(true);
        }
    }
}
