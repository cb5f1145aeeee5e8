using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using BatchPs.Aws.Batch;

namespace BatchPs.Aws.Tests;

/// <summary>
/// DescribeJobs as the Batch client puts it on the wire, kept in cloudformation/tests/fixtures/requests/
/// batch-DescribeJobs.json with the input in the JS SDK v3's terms; wire.test.js compares it with the SDK's request.
/// </summary>
public sealed class BatchWireFixtureTests
{
    [Fact]
    public async Task DescribeJobs_request_is_kept_as_a_fixture_and_its_answer_read_from_the_model_members()
    {
        // The model's DescribeJobsResponse: jobs (JobDetail: jobId, status, attempts[AttemptDetail: container
        // (AttemptContainerDetail: logStreamName)], container (ContainerDetail: logStreamName), arrayProperties (size, index)).
        var capture = new StepFunctionsWireFixtureTests.Capture
        {
            Answer = """
                {"jobs":[
                  {"jobId":"4c75","jobName":"hello","status":"RUNNING","attempts":[{"container":{"exitCode":1,"logStreamName":"hello/default/a1"},"startedAt":1795763580058}],"container":{"logStreamName":"hello/default/a2"},"arrayProperties":{"size":3,"statusSummary":{"RUNNING":3}}},
                  {"jobId":"4c75:2","jobName":"hello","status":"FAILED","attempts":[],"container":{},"arrayProperties":{"index":2}}]}
                """,
        };
        using var client = new BatchClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")), capture);

        var jobs = await client.DescribeJobsAsync(new[] { "4c75", "4c75:2" }, CancellationToken.None);

        Assert.Equal(2, jobs.Count);
        Assert.Equal("4c75", jobs[0].JobId);
        Assert.Equal(2, jobs[0].Attempts);
        Assert.Equal("hello/default/a1", jobs[0].LogStream(1));
        Assert.Equal("hello/default/a2", jobs[0].LogStream(2));
        Assert.Equal(3, jobs[0].ArraySize);
        Assert.Equal(2, jobs[1].ArrayIndex);
        Assert.Equal(0, jobs[1].Attempts);
        Assert.Null(jobs[1].ContainerLogStream);
        StepFunctionsWireFixtureTests.KeepFixture("DescribeJobsCommand", "batch-DescribeJobs.json", capture, new JsonObject
        {
            ["jobs"] = new JsonArray("4c75", "4c75:2"),
        }, "@aws-sdk/client-batch");
    }
}
