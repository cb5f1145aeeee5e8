using System.Text.Json;
using BatchPs.Core.Batch;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Tests.Batch;

public sealed class BatchJobUpdatesTests
{
    // A failed job's description, PascalCase as Step Functions' batch:submitJob.sync writes it (its failure Cause).
    private const string FailedJobCause = """
        {"Attempts":[{"Container":{"ContainerInstanceArn":"arn:aws:ecs:eu-west-1:123456789012:container-instance/1","ExitCode":3,"LogStreamName":"nightly-export/default/attempt1","TaskArn":"arn:aws:ecs:eu-west-1:123456789012:task/1"},"StartedAt":1795763600000,"StatusReason":"Essential container in task exited","StoppedAt":1795763660000},
                     {"Container":{"ExitCode":2,"LogStreamName":"nightly-export/default/attempt2"},"StartedAt":1795763700000,"StatusReason":"Essential container in task exited","StoppedAt":1795763760000}],
         "Container":{"Command":["export"],"ExitCode":2,"Image":"export:latest","LogStreamName":"nightly-export/default/attempt2"},
         "CreatedAt":1795763580058,"JobArn":"arn:aws:batch:eu-west-1:123456789012:job/4c7599ae","JobId":"4c7599ae","JobName":"nightly-export-t1",
         "JobQueue":"arn:aws:batch:eu-west-1:123456789012:job-queue/q","StartedAt":1795763700000,"Status":"FAILED",
         "StatusReason":"Essential container in task exited","StoppedAt":1795763760000,"Tags":{"BatchPsTriggerId":"t1"}}
        """;

    [Fact]
    public void A_PascalCase_failed_job_description_gives_reason_exit_code_log_stream_and_attempts()
    {
        using var cause = JsonDocument.Parse(FailedJobCause);
        var job = BatchJobSummary.Parse(cause.RootElement);
        var update = BatchJobUpdates.ToUpdate(BatchJobUpdates.TriggerIdOf(job)!, job)!;

        Assert.Equal(TriggerStatus.FAILED, update.Status);
        Assert.Equal("Essential container in task exited", update.StatusReason);
        Assert.Equal(2, update.ExitCode);
        Assert.Equal("nightly-export/default/attempt2", update.LogLocation);
        Assert.Equal("4c7599ae", update.BatchJobId);
        Assert.Equal(2, update.Attempts);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795763760000), update.StoppedAt);
    }

    [Fact]
    public void Event_detail_in_camelCase_maps_to_a_RUNNING_update_without_an_exit_code()
    {
        using var detail = JsonDocument.Parse("""
            {"jobId":"j1","status":"RUNNING","statusReason":null,"startedAt":1795763700000,"attempts":[{"container":{"exitCode":1,"logStreamName":"a1"}}],
             "container":{"logStreamName":"a2"},"tags":{"BatchPsTriggerId":"t9"}}
            """);
        var job = BatchJobSummary.Parse(detail.RootElement);

        var update = BatchJobUpdates.ToUpdate(BatchJobUpdates.TriggerIdOf(job)!, job)!;

        Assert.Equal("t9", update.TriggerId);
        Assert.Equal(TriggerStatus.RUNNING, update.Status);
        Assert.Equal("a2", update.LogLocation);
        Assert.Null(update.ExitCode); // an earlier attempt's exit code is not the job's
        Assert.Equal(1, update.Attempts);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795763700000), update.StartedAt);
    }

    [Fact]
    public void Array_parent_counts_are_carried_and_unknown_statuses_give_no_update()
    {
        using var detail = JsonDocument.Parse("""{"jobId":"j","status":"RUNNABLE","arrayProperties":{"size":3,"statusSummary":{"RUNNABLE":2,"RUNNING":1}}}""");
        var job = BatchJobSummary.Parse(detail.RootElement);

        Assert.Equal(new Dictionary<string, int> { ["RUNNABLE"] = 2, ["RUNNING"] = 1 }, BatchJobUpdates.ToUpdate("t", job)!.ArrayStatusSummary);
        Assert.Null(BatchJobUpdates.TriggerIdOf(job));
        job.Status = "SOMETHING_NEW";
        Assert.Null(BatchJobUpdates.ToUpdate("t", job));
    }

    [Fact]
    public void Batch_statuses_map_to_trigger_statuses_in_order()
    {
        var order = new[] { "SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED" }
            .Select(s => TriggerStatusOrder.Rank(BatchJobUpdates.StatusOf(s)!.Value)).ToList();
        Assert.Equal(order.OrderBy(r => r), order);
        Assert.Equal(TriggerStatus.FAILED, BatchJobUpdates.StatusOf("FAILED"));
    }

    [Fact]
    public void State_change_event_is_recognised_by_source_and_detail_type()
    {
        using var other = JsonDocument.Parse("""{"source":"aws.ecs","detail-type":"Batch Job State Change","detail":{}}""");
        using var batch = JsonDocument.Parse("""{"source":"aws.batch","detail-type":"Batch Job State Change","detail":{"jobId":"j","status":"STARTING"}}""");

        Assert.False(BatchJobStateChange.Is(other.RootElement));
        Assert.Equal("STARTING", BatchJobStateChange.Parse(batch.RootElement).Status);
        Assert.Throws<FormatException>(() => BatchJobStateChange.Parse(other.RootElement));
    }

    [Fact]
    public void Definition_substitution_replaces_placeholders_and_names_a_missing_one()
    {
        const string definition = """{"TableName": "${TriggerTableName}"}""";

        Assert.Equal("""{"TableName": "local-triggers"}""", TriggerWorkflowDefinition.Substitute(definition, new Dictionary<string, string> { ["TriggerTableName"] = "local-triggers" }));
        var error = Assert.Throws<ArgumentException>(() => TriggerWorkflowDefinition.Substitute(definition, new Dictionary<string, string>()));
        Assert.Contains("${TriggerTableName}", error.Message);
    }
}
