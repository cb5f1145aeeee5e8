using System.Text.Json.Nodes;
using BatchPs.StateMachine.Integrations.Batch;
using BatchPs.LocalStack.DynamoDb;
using BatchPs.StateMachine.Runtime;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.LocalStack.Tests.DynamoDb;

/// <summary>The batch:submitJob.sync and dynamodb:updateItem/getItem resources over their service seams.</summary>
public sealed class IntegrationResourceTests
{
    private const string Workflow = """
        {"StartAt":"Mark","States":{
          "Mark":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"${Table}","Key":{"id":{"S.$":"$.id"}},
             "UpdateExpression":"SET #s = :s ADD #v :one","ConditionExpression":"attribute_not_exists(#s) OR #s <> :s",
             "ExpressionAttributeNames":{"#s":"status","#v":"version"},"ExpressionAttributeValues":{":s":{"S":"SUBMITTED"},":one":{"N":"1"}}},
             "ResultPath":null,"Catch":[{"ErrorEquals":["DynamoDB.ConditionalCheckFailedException"],"ResultPath":null,"Next":"Skipped"}],"Next":"Run"},
          "Run":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","InputPath":"$.submitJob","ResultPath":"$.job",
             "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.error","Next":"Failed"}],"Next":"Read"},
          "Read":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","Parameters":{"TableName":"${Table}","Key":{"id":{"S.$":"$.id"}}},
             "ResultSelector":{"version.$":"$.Item.version.N"},"ResultPath":"$.record","End":true},
          "Failed":{"Type":"Pass","Parameters":{"detail.$":"States.StringToJson($.error.Cause)"},"OutputPath":"$.detail.Container","End":true},
          "Skipped":{"Type":"Succeed"}}}
        """;

    private static (TaskResourceRegistry Resources, InTestBatchJobs Jobs, InTestItemStore Items) Create()
    {
        var jobs = new InTestBatchJobs();
        var items = new InTestItemStore();
        var resources = new TaskResourceRegistry()
            .Add(BatchSubmitJobSyncResource.Arn, new BatchSubmitJobSyncResource(jobs))
            .Add(DynamoDbUpdateItemResource.Arn, new DynamoDbUpdateItemResource(items))
            .Add(DynamoDbGetItemResource.Arn, new DynamoDbGetItemResource(items));
        return (resources, jobs, items);
    }

    private static async Task<ExecutionResult> RunAsync(TaskResourceRegistry resources, string input, string name = "run")
    {
        var definition = BatchPs.StateMachine.Loading.DefinitionLoader.Load(Workflow, resources, new Dictionary<string, string> { ["Table"] = "Triggers" });
        return await new StateMachineInterpreter(definition, resources).StartAsync(name, JsonNode.Parse(input)).WaitAsync(Asl.Deadline);
    }

    [Fact]
    public async Task Successful_job_returns_its_detail_and_the_status_write_lands()
    {
        var (resources, jobs, items) = Create();
        var result = await RunAsync(resources, """{"id":"t-1","submitJob":{"JobName":"hello","JobQueue":"local","JobDefinition":"hello"}}""");
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Equal("SUCCEEDED", result.Output!["job"]!["Status"]!.GetValue<string>());
        Assert.Equal("1", result.Output!["record"]!["version"]!.GetValue<string>());
        Assert.Equal("SUBMITTED", items.Items.Single().Value["status"]!["S"]!.GetValue<string>());
        Assert.Equal($"{result.ExecutionId}/Run/2/0", Assert.Single(jobs.ByToken).Key);
    }

    [Fact]
    public async Task Failed_job_fails_the_task_with_TaskFailed_and_the_job_detail_as_cause()
    {
        var (resources, _, _) = Create();
        var result = await RunAsync(resources, """{"id":"t-2","submitJob":{"JobName":"hello","JobQueue":"local","JobDefinition":"hello","Parameters":{"outcome":"FAILED"}}}""");
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Equal(2, result.Output!["ExitCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Condition_failure_is_caught_by_name()
    {
        var (resources, jobs, items) = Create();
        items.Items[InTestItemStore.Id("Triggers", JsonNode.Parse("""{"id":{"S":"t-3"}}""")!.AsObject())] = JsonNode.Parse("""{"id":{"S":"t-3"},"status":{"S":"SUBMITTED"}}""")!.AsObject();
        var result = await RunAsync(resources, """{"id":"t-3","submitJob":{"JobName":"hello","JobQueue":"local","JobDefinition":"hello"}}""");
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Contains(result.History, e => e.Type == "SucceedStateEntered" && e.StateName == "Skipped");
        Assert.Empty(jobs.ByToken);
    }

    [Fact]
    public async Task Update_retries_after_losing_a_write_race()
    {
        var (resources, _, items) = Create();
        items.Conflicts = 2;
        var result = await RunAsync(resources, """{"id":"t-4","submitJob":{"JobName":"hello","JobQueue":"local","JobDefinition":"hello"}}""");
        Assert.Equal(ExecutionStatus.SUCCEEDED, result.Status);
        Assert.Equal(3, items.Replaces);
    }

    [Fact]
    public async Task SubmitJob_request_without_a_queue_fails_with_Batch_ClientException()
    {
        var (resources, _, _) = Create();
        var result = await RunAsync(resources, """{"id":"t-5","submitJob":{"JobName":"hello","JobDefinition":"hello"}}""");
        var failed = Assert.Single(result.History, e => e.Type == "TaskFailed");
        Assert.Equal("Batch.ClientException", failed.Error);
        Assert.Contains("JobQueue", failed.Cause);
    }

    [Theory]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName":"x","JobDefinition":"d"},"End":true}""", "'JobQueue' is required")]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName":"x","JobQueue":"q","JobDefinition":"d","Colour":"red"},"End":true}""", "'Colour' is not a SubmitJob field")]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"T"},"End":true}""", "'Key' is required")]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"T","Key":{"id":{"S":"x"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S.$":"$.a"},":b":{"N":"1"}}},"End":true}""", "unused")]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"T","Key":{"id":{"S":"x"}},"UpdateExpression":"SET #a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}},"End":true}""", "#a")]
    [InlineData("""{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"T","Key":{"id":{"S":"x"}},"ConditionExpression":"attribute_exists(id) AND","UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}},"End":true}""", "ConditionExpression")]
    public void Bad_integration_parameters_are_refused_at_load_time(string state, string expected)
    {
        var (resources, _, _) = Create();
        var e = Asl.LoadFails("{\"StartAt\":\"S\",\"States\":{\"S\":" + state + "}}", resources);
        Assert.Contains("State \"S\"", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Dynamic_set_value_loads()
    {
        var (resources, _, _) = Create();
        BatchPs.StateMachine.Loading.DefinitionLoader.Load("""
            {"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"T","Key":{"id":{"S":"x"}},
              "UpdateExpression":"ADD tags :t","ExpressionAttributeValues":{":t":{"SS.$":"$.tags"}}},"End":true}}}
            """, resources);
    }

    [Fact]
    public void Static_expressions_with_dynamic_values_load()
    {
        var (resources, _, _) = Create();
        BatchPs.StateMachine.Loading.DefinitionLoader.Load(Workflow, resources, new Dictionary<string, string> { ["Table"] = "Triggers" });
    }

    [Fact]
    public async Task An_update_invocation_run_again_after_a_crash_gets_its_first_response_instead_of_failing_its_condition()
    {
        var items = new InTestItemStore();
        var resource = new DynamoDbUpdateItemResource(items);
        var parameters = JsonNode.Parse("""
            {"TableName":"Triggers","Key":{"id":{"S":"t-9"}},"UpdateExpression":"SET #s = :s","ConditionExpression":"attribute_not_exists(#s)",
             "ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"SUBMITTED"}},"ReturnValues":"ALL_NEW"}
            """);
        TaskInvocation Invocation(string id) => new()
        {
            Resource = DynamoDbUpdateItemResource.Arn, StateName = "Mark", Parameters = parameters, Context = new JsonObject(),
            ExecutionId = "e", RetryCount = 0, InvocationId = id,
        };

        var first = await resource.InvokeAsync(Invocation("e/Mark/1/0"), default);
        var replayed = await resource.InvokeAsync(Invocation("e/Mark/1/0"), default); // the same task, resumed
        Assert.True(JsonNode.DeepEquals(first, replayed));
        Assert.Equal(1, items.Replaces);
        var error = await Assert.ThrowsAsync<BatchPs.StateMachine.Errors.StatesErrorException>(() => resource.InvokeAsync(Invocation("e/Mark/2/0"), default));
        Assert.Equal(DynamoDbErrors.ConditionalCheckFailed, error.Error); // a new entry of the state still checks its condition
    }
}
