using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Core.Tests;

public class TriggerHandlerTests
{
    private sealed class Catalog : IJobCatalog
    {
        public Dictionary<string, JobCatalogEntry> Entries { get; } = new();
        public Task<JobCatalogEntry?> FindAsync(string jobName, CancellationToken cancellationToken) =>
            Task.FromResult(Entries.TryGetValue(jobName, out var e) ? e : null);
    }

    private sealed class Workflows : IWorkflowStarter
    {
        public Dictionary<string, string> Started { get; } = new();
        public Task<WorkflowStart> StartAsync(string executionName, string inputJson, CancellationToken cancellationToken)
        {
            var existed = Started.ContainsKey(executionName);
            if (!existed) Started[executionName] = inputJson;
            return Task.FromResult(new WorkflowStart("exec:" + executionName, existed));
        }
    }

    private sealed class Status : ITriggerStatusWriter
    {
        public List<TriggerUpdate> Updates { get; } = new();
        public Task<bool> ApplyAsync(TriggerUpdate update, CancellationToken cancellationToken)
        {
            Updates.Add(update);
            return Task.FromResult(true);
        }
    }

    private readonly Catalog _catalog = new();
    private readonly Workflows _workflows = new();
    private readonly Status _status = new();
    private TriggerHandler Handler => new(_catalog, _workflows, _status);

    public TriggerHandlerTests() =>
        _catalog.Entries["hello"] = new JobCatalogEntry { Name = "hello", Command = new() { "echo" }, Parameters = new() { ["name"] = "world" } };

    private static TriggerRecord Received(string id, string job, Dictionary<string, string>? parameters = null) =>
        new() { TriggerId = id, JobName = job, Status = TriggerStatus.RECEIVED, Parameters = parameters ?? new() };

    [Fact]
    public async Task Known_job_starts_a_workflow_named_after_the_trigger_and_marks_it_started()
    {
        var outcome = await Handler.HandleAsync(Received("t1", "hello"), default);
        Assert.Equal(TriggerHandling.Started, outcome);
        Assert.Contains("\"JobDefinition\":\"hello\"", _workflows.Started["t1"]);
        var update = Assert.Single(_status.Updates);
        Assert.Equal(TriggerStatus.STARTED, update.Status);
        Assert.Equal("exec:t1", update.ExecutionId);
    }

    [Fact]
    public async Task Replayed_trigger_does_not_start_a_second_workflow()
    {
        await Handler.HandleAsync(Received("t1", "hello"), default);
        var outcome = await Handler.HandleAsync(Received("t1", "hello"), default);
        Assert.Equal(TriggerHandling.AlreadyStarted, outcome);
        Assert.Single(_workflows.Started);
    }

    [Fact]
    public async Task Unknown_job_is_rejected_with_a_reason_and_starts_nothing()
    {
        var outcome = await Handler.HandleAsync(Received("t2", "nope"), default);
        Assert.Equal(TriggerHandling.Rejected, outcome);
        Assert.Empty(_workflows.Started);
        var update = Assert.Single(_status.Updates);
        Assert.Equal(TriggerStatus.REJECTED, update.Status);
        Assert.Contains("not in the catalog", update.StatusReason);
    }

    [Fact]
    public async Task Undeclared_parameter_is_rejected()
    {
        var outcome = await Handler.HandleAsync(Received("t3", "hello", new() { ["colour"] = "red" }), default);
        Assert.Equal(TriggerHandling.Rejected, outcome);
        Assert.Contains("colour", _status.Updates[0].StatusReason);
    }

    [Fact]
    public async Task Records_past_received_are_skipped()
    {
        var record = Received("t4", "hello");
        record.Status = TriggerStatus.RUNNING;
        Assert.Equal(TriggerHandling.Skipped, await Handler.HandleAsync(record, default));
        Assert.Empty(_status.Updates);
    }
}
