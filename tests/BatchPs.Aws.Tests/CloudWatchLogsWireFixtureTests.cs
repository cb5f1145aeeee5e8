using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using BatchPs.Aws.CloudWatchLogs;

namespace BatchPs.Aws.Tests;

/// <summary>
/// GetLogEvents as the CloudWatch Logs client puts it on the wire, kept in cloudformation/tests/fixtures/requests/
/// logs-GetLogEvents.json with the input in the JS SDK v3's terms; wire.test.js compares it with the SDK's request.
/// </summary>
public sealed class CloudWatchLogsWireFixtureTests
{
    [Fact]
    public async Task GetLogEvents_request_is_kept_as_a_fixture_and_its_answer_read_from_the_model_members()
    {
        // The model's GetLogEventsResponse: events (OutputLogEvent: timestamp, message, ingestionTime; epoch ms), nextForwardToken, nextBackwardToken.
        var capture = new StepFunctionsWireFixtureTests.Capture
        {
            Answer = """{"events":[{"timestamp":1795763580058,"message":"hello \"world\"","ingestionTime":1795763580200}],"nextForwardToken":"f/2/s","nextBackwardToken":"b/1/s"}""",
        };
        using var client = new CloudWatchLogsClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")), capture);

        var page = await client.GetLogEventsAsync("/aws/batch/job", "hello/default/4c75", 1000, startFromHead: true, "f/1/s", CancellationToken.None);

        var line = Assert.Single(page.Events);
        Assert.Equal("hello \"world\"", line.Message);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795763580058), line.Timestamp);
        Assert.Equal("f/2/s", page.NextForwardToken);
        StepFunctionsWireFixtureTests.KeepFixture("GetLogEventsCommand", "logs-GetLogEvents.json", capture, new JsonObject
        {
            ["logGroupName"] = "/aws/batch/job",
            ["logStreamName"] = "hello/default/4c75",
            ["limit"] = 1000,
            ["startFromHead"] = true,
            ["nextToken"] = "f/1/s",
        }, "@aws-sdk/client-cloudwatch-logs");
    }
}
