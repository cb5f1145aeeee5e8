using System.Text.Json.Nodes;
using BatchPs.StateMachine.Integrations.Batch;
using BatchPs.LocalStack.DynamoDb;
using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Runtime;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.LocalStack.Tests.DynamoDb;

/// <summary>
/// cloudformation/statemachine/trigger.asl.json — the very file the cloud stack deploys — loaded with its
/// DefinitionSubstitutions and run on the interpreter with the batch and DynamoDB resources over in-test services.
/// </summary>
public sealed class ShippedDefinitionOnInTestServicesTests
{
    private static readonly string File = Path.Combine(AppContext.BaseDirectory, "shipped", "trigger.asl.json");
    private static readonly Dictionary<string, string> Substitutions = new() { ["TriggerTableName"] = "Triggers" };
    private static readonly JsonObject Key = JsonNode.Parse("""{"triggerId":{"S":"t-1"}}""")!.AsObject();

    private static (StateMachineInterpreter Interpreter, InTestBatchJobs Jobs, InTestItemStore Items) Create(string status = "STARTED", int rank = 1)
    {
        // Retry delays (seconds to tens of seconds) and job durations run on a fast clock.
        var time = new ScaledTimeProvider(1000);
        var jobs = new InTestBatchJobs(time);
        var items = new InTestItemStore();
        items.Items[InTestItemStore.Id("Triggers", Key)] = new JsonObject
        {
            ["triggerId"] = new JsonObject { ["S"] = "t-1" },
            ["jobName"] = new JsonObject { ["S"] = "hello" },
            ["status"] = new JsonObject { ["S"] = status },
            ["statusRank"] = new JsonObject { ["N"] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["version"] = new JsonObject { ["N"] = "2" },
        };
        var resources = new TaskResourceRegistry()
            .Add(BatchSubmitJobSyncResource.Arn, new BatchSubmitJobSyncResource(jobs))
            .Add(DynamoDbUpdateItemResource.Arn, new DynamoDbUpdateItemResource(items))
            .Add(DynamoDbGetItemResource.Arn, new DynamoDbGetItemResource(items));
        var definition = DefinitionLoader.Load(System.IO.File.ReadAllText(File), resources, Substitutions);
        return (new StateMachineInterpreter(definition, resources, new InterpreterOptions { TimeProvider = time, StateMachineName = "batchps" }), jobs, items);
    }

    private static JsonNode Input(string? parameters = null)
    {
        var input = JsonNode.Parse("""{"triggerId":"t-1","jobName":"hello","submitJob":{"JobName":"hello","JobQueue":"local","JobDefinition":"hello"}}""")!;
        if (parameters is not null)
        {
            input["submitJob"]!["Parameters"] = JsonNode.Parse(parameters);
        }
        return input;
    }

    private static JsonObject Record(InTestItemStore items) => items.Items[InTestItemStore.Id("Triggers", Key)];

    private static string? S(JsonObject record, string name) => record[name]?["S"]?.GetValue<string>();

    private static string? N(JsonObject record, string name) => record[name]?["N"]?.GetValue<string>();

    [Fact]
    public void Shipped_definition_loads_with_its_substitution()
    {
        Create();
    }

    [Fact]
    public void Shipped_definition_needs_its_TriggerTableName_substitution()
    {
        var e = Assert.Throws<DefinitionException>(() => DefinitionLoader.Load(System.IO.File.ReadAllText(File),
            new TaskResourceRegistry().Add(BatchSubmitJobSyncResource.Arn, new BatchSubmitJobSyncResource(new InTestBatchJobs()))
                .Add(DynamoDbUpdateItemResource.Arn, new DynamoDbUpdateItemResource(new InTestItemStore()))));
        Assert.Contains("${TriggerTableName}", e.Message);
    }

    [Fact]
    public async Task Successful_job_records_SUCCEEDED_with_exit_code_and_log()
    {
        var (interpreter, jobs, items) = Create();
        var result = await interpreter.StartAsync("t-1", Input()).WaitAsync(Asl.Deadline);

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        var record = Record(items);
        Assert.Equal("SUCCEEDED", S(record, "status"));
        Assert.Equal("7", N(record, "statusRank"));
        Assert.Equal("0", N(record, "exitCode"));
        Assert.Equal("job/default/job-0", S(record, "logLocation"));
        Assert.Equal("job-0", S(record, "batchJobId"));
        Assert.Equal(result.ExecutionId, S(record, "executionId"));
        Assert.Equal("4", N(record, "version"));
        Assert.Single(jobs.Requests);
        Assert.Equal(5, result.TransitionCount);
    }

    [Fact]
    public async Task Failed_job_records_FAILED_with_its_exit_code_and_reason()
    {
        var (interpreter, _, items) = Create();
        var result = await interpreter.StartAsync("t-1", Input("""{"outcome":"FAILED","exitCode":"3"}""")).WaitAsync(Asl.Deadline);

        Assert.Equal(ExecutionStatus.FAILED, result.Status);
        Assert.Equal("BatchPs.JobFailed", result.Error);
        var record = Record(items);
        Assert.Equal("FAILED", S(record, "status"));
        Assert.Equal("3", N(record, "exitCode"));
        Assert.Equal("Essential container in task exited", S(record, "statusReason"));
        Assert.Equal(7, result.TransitionCount);
    }

    [Fact]
    public async Task Batch_server_error_is_retried_then_the_job_succeeds()
    {
        var (interpreter, jobs, items) = Create();
        jobs.ServerErrors = 1;
        var result = await interpreter.StartAsync("t-1", Input()).WaitAsync(Asl.Deadline);

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Equal("SUCCEEDED", S(Record(items), "status"));
        Assert.Equal(6, result.TransitionCount);
    }

    [Fact]
    public async Task Trigger_already_past_SUBMITTED_is_not_run()
    {
        var (interpreter, jobs, items) = Create("CANCELLED", 7);
        var result = await interpreter.StartAsync("t-1", Input()).WaitAsync(Asl.Deadline);

        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Empty(jobs.Requests);
        Assert.Equal("CANCELLED", S(Record(items), "status"));
        Assert.Contains(result.History, e => e.Type == "SucceedStateEntered" && e.StateName == "Not run");
    }

    [Fact]
    public async Task Transition_count_does_not_grow_with_the_job_duration()
    {
        // The .sync task waits without transitions: a 1-second and a 60-second job cost the same (issue 5's benchmark rule).
        var (interpreter, _, _) = Create();
        var quick = await interpreter.StartAsync("t-1", Input("""{"seconds":"1"}""")).WaitAsync(Asl.Deadline);
        var (slowInterpreter, _, _) = Create();
        var slow = await slowInterpreter.StartAsync("t-1", Input("""{"seconds":"60"}""")).WaitAsync(Asl.Deadline);
        Assert.True(slow.StopDate - slow.StartDate >= TimeSpan.FromSeconds(60), $"the job took {slow.StopDate - slow.StartDate}");
        Assert.Equal(ExecutionStatus.SUCCEEDED, slow.Status);
        Assert.Equal(quick.TransitionCount, slow.TransitionCount);
    }
}
