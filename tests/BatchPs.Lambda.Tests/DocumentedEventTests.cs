using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda.Tests;

/// <summary>
/// The function against AWS's documented sample events rather than our own recordings: Events/aws-doc-dynamodb-stream.json
/// is the example event of the Lambda developer guide ("Using AWS Lambda with Amazon DynamoDB": INSERT 111, MODIFY 222,
/// REMOVE 333 of item Id 101), so the envelope fields the function reads (Records, eventName, dynamodb.NewImage,
/// dynamodb.SequenceNumber) are AWS's, not ours.
/// </summary>
public sealed class DocumentedEventTests
{
    private readonly InMemoryWorkflows _workflows = new();
    private readonly InMemoryStatus _status = new();

    private Function Create() =>
        new(new TriggerHandler(new InMemoryCatalog(InMemoryCatalog.NightlyExport()), _workflows, _status), _status, new StringWriter());

    private static JsonObject Sample() => JsonNode.Parse(RecordedEvents.Read("aws-doc-dynamodb-stream.json"))!.AsObject();

    private static async Task<string[]> FailuresOf(Stream response)
    {
        using var document = await JsonDocument.ParseAsync(response);
        return document.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToArray();
    }

    [Fact]
    public async Task Documented_stream_event_reports_its_foreign_insert_by_sequence_number_and_skips_modify_and_remove()
    {
        var failures = await FailuresOf(await Create().HandleAsync(RecordedEvents.AsStream(Sample())));

        Assert.Equal(["111"], failures); // the INSERT is not a trigger record; MODIFY (222) and REMOVE (333) are not ours to handle
        Assert.Empty(_workflows.Executions);
    }

    [Fact]
    public async Task Documented_stream_event_with_a_trigger_item_starts_its_execution()
    {
        var sample = Sample();
        var insert = sample["Records"]![0]!.AsObject();
        var ours = RecordedEvents.Insert("t-doc-1", "999")["dynamodb"]!.AsObject();
        insert["dynamodb"]!["Keys"] = ours["Keys"]!.DeepClone();
        insert["dynamodb"]!["NewImage"] = ours["NewImage"]!.DeepClone();

        var failures = await FailuresOf(await Create().HandleAsync(RecordedEvents.AsStream(sample)));

        Assert.Empty(failures);
        Assert.Equal("t-doc-1", Assert.Single(_workflows.Executions).Key);
        Assert.Equal(TriggerStatus.STARTED, _status.Status["t-doc-1"]);
    }

    /// <summary>
    /// The "Batch Job State Change" sample of the AWS Batch user guide ("Job state change events"): its <c>tags</c> hold
    /// only <c>resourceArn</c>, so a trigger is found by the job name BatchPs gives the job (ExecutionNames.BatchJobName).
    /// </summary>
    [Fact]
    public async Task Documented_batch_event_finds_its_trigger_by_the_job_name_without_tags()
    {
        var sample = JsonNode.Parse(RecordedEvents.Read("aws-doc-batch-job-state-change.json"))!.AsObject();
        Assert.Null(sample["detail"]!["tags"]![WorkflowInput.TriggerIdTag]);
        var foreign = JsonNode.Parse(await new StreamReader(await Create().HandleAsync(RecordedEvents.AsStream(sample))).ReadToEndAsync())!;
        sample["detail"]!["jobName"] = ExecutionNames.BatchJobName("nightly-export", "k-nightly-2026-11-24");

        var ours = JsonNode.Parse(await new StreamReader(await Create().HandleAsync(RecordedEvents.AsStream(sample))).ReadToEndAsync())!;

        Assert.False(foreign["applied"]!.GetValue<bool>()); // "event-test" is not a job BatchPs named
        Assert.True(ours["applied"]!.GetValue<bool>());
        Assert.Equal(TriggerStatus.RUNNABLE, _status.Status["k-nightly-2026-11-24"]);
    }
}
