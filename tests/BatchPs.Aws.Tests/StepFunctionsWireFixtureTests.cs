using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using BatchPs.Aws.StepFunctions;

namespace BatchPs.Aws.Tests;

/// <summary>
/// StartExecution, StopExecution and GetExecutionHistory as the Step Functions client puts them on the wire, kept in
/// cloudformation/tests/fixtures/requests/states-*.json with the input in the JS SDK v3's terms; the
/// Node checks (wire.test.js) compare it with the JS SDK's request for that input. BATCHPS_UPDATE_FIXTURES=1
/// rewrites the file after a deliberate change.
/// </summary>
public sealed class StepFunctionsWireFixtureTests
{
    internal sealed class Capture : HttpMessageHandler
    {
        public HttpRequestMessage? Request;
        public string Body = "";
        // The model's StartExecutionOutput: executionArn and startDate (epoch seconds).
        public string Answer = """{"executionArn":"arn:aws:states:eu-west-1:123456789012:execution:M:t1","startDate":1795763567.123}""";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(Answer, Encoding.UTF8, "application/x-amz-json-1.0"),
            };
        }
    }

    [Fact]
    public async Task StartExecution_request_is_kept_as_a_fixture_and_its_answer_read_from_the_model_members()
    {
        var capture = new Capture();
        using var client = new StepFunctionsClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")), capture);

        var answer = await client.StartExecutionAsync(new StartExecutionRequest
        {
            StateMachineArn = "arn:aws:states:eu-west-1:123456789012:stateMachine:M",
            Name = "t1",
            Input = """{"triggerId":"t1","quote":"\"é\""}""",
        }, CancellationToken.None);

        Assert.Equal("arn:aws:states:eu-west-1:123456789012:execution:M:t1", answer.ExecutionArn);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795763567123), answer.StartDate);
        KeepFixture("StartExecutionCommand", "states-StartExecution.json", capture, new JsonObject
        {
            ["stateMachineArn"] = "arn:aws:states:eu-west-1:123456789012:stateMachine:M",
            ["name"] = "t1",
            ["input"] = """{"triggerId":"t1","quote":"\"é\""}""",
        });
    }

    [Fact]
    public async Task StopExecution_request_is_kept_as_a_fixture_and_its_answer_read_from_the_model_members()
    {
        // The model's StopExecutionOutput: stopDate (epoch seconds).
        var capture = new Capture { Answer = """{"stopDate":1795763600.5}""" };
        using var client = new StepFunctionsClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")), capture);

        var stopped = await client.StopExecutionAsync("arn:aws:states:eu-west-1:123456789012:execution:M:t1", "BatchPs.Cancelled", "Cancelled by \"ops\" é", CancellationToken.None);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795763600500), stopped);
        KeepFixture("StopExecutionCommand", "states-StopExecution.json", capture, new JsonObject
        {
            ["executionArn"] = "arn:aws:states:eu-west-1:123456789012:execution:M:t1",
            ["error"] = "BatchPs.Cancelled",
            ["cause"] = "Cancelled by \"ops\" é",
        });
    }

    [Fact]
    public async Task GetExecutionHistory_request_is_kept_as_a_fixture_and_its_answer_read_from_the_model_members()
    {
        // The model's GetExecutionHistoryOutput: events (HistoryEvent: timestamp, type, id, previousEventId, *EventDetails) and nextToken.
        var capture = new Capture { Answer = """{"events":[{"timestamp":1795763580.5,"type":"ExecutionStarted","id":1,"previousEventId":0,"executionStartedEventDetails":{"input":"{}","roleArn":"arn:aws:iam::123456789012:role/R"}}],"nextToken":"AAAA"}""" };
        using var client = new StepFunctionsClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")), capture);

        var page = await client.GetExecutionHistoryAsync("arn:aws:states:eu-west-1:123456789012:execution:M:t1", 1000, "page-2", CancellationToken.None);

        Assert.Equal("ExecutionStarted", Assert.Single(page.Events)["type"]!.GetValue<string>());
        Assert.Equal("AAAA", page.NextToken);
        KeepFixture("GetExecutionHistoryCommand", "states-GetExecutionHistory.json", capture, new JsonObject
        {
            ["executionArn"] = "arn:aws:states:eu-west-1:123456789012:execution:M:t1",
            ["maxResults"] = 1000,
            ["nextToken"] = "page-2",
            ["reverseOrder"] = false,
            ["includeExecutionData"] = true,
        });
    }

    /// <summary>Compares (or, with BATCHPS_UPDATE_FIXTURES=1, rewrites) the fixture of the captured request.</summary>
    internal static void KeepFixture(string command, string file, Capture capture, JsonObject input, string sdkClient = "@aws-sdk/client-sfn")
    {
        var request = capture.Request!;
        var headers = new JsonObject();
        foreach (var name in new[] { "accept", "content-type", "x-amz-target" })
        {
            var values = request.Headers.TryGetValues(name, out var h) ? h : request.Content?.Headers.TryGetValues(name, out var c) == true ? c : null;
            if (values is not null) headers[name] = string.Join(",", values);
        }
        var fixture = new JsonObject
        {
            ["client"] = sdkClient,
            ["command"] = command,
            ["input"] = input,
            ["request"] = new JsonObject
            {
                ["method"] = request.Method.Method,
                ["pathAndQuery"] = request.RequestUri!.PathAndQuery,
                ["headers"] = headers,
                ["body"] = capture.Body,
            },
        };
        var text = fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = Path.Combine(RepositoryRoot(), "cloudformation", "tests", "fixtures", "requests", file);
        if (Environment.GetEnvironmentVariable("BATCHPS_UPDATE_FIXTURES") == "1") File.WriteAllText(path, text);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), JsonNode.Parse(text)),
            $"{path} differs from the request the client sends now; run with BATCHPS_UPDATE_FIXTURES=1 and check cloudformation/tests (npm test).");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BatchPs.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("BatchPs.sln not found");
    }
}
