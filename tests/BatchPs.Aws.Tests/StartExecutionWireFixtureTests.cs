using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using BatchPs.Aws.StepFunctions;

namespace BatchPs.Aws.Tests;

/// <summary>
/// StartExecution as the Step Functions client puts it on the wire, kept in
/// cloudformation/tests/fixtures/requests/states-StartExecution.json with the input in the JS SDK v3's terms; the
/// Node checks (wire.test.js) compare it with the JS SDK's request for that input. BATCHPS_UPDATE_FIXTURES=1
/// rewrites the file after a deliberate change.
/// </summary>
public sealed class StartExecutionWireFixtureTests
{
    private sealed class Capture : HttpMessageHandler
    {
        public HttpRequestMessage? Request;
        public string Body = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            // The model's StartExecutionOutput: executionArn and startDate (epoch seconds).
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"executionArn":"arn:aws:states:eu-west-1:123456789012:execution:M:t1","startDate":1795763567.123}""", Encoding.UTF8, "application/x-amz-json-1.0"),
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
        var request = capture.Request!;
        var headers = new JsonObject();
        foreach (var name in new[] { "accept", "content-type", "x-amz-target" })
        {
            var values = request.Headers.TryGetValues(name, out var h) ? h : request.Content?.Headers.TryGetValues(name, out var c) == true ? c : null;
            if (values is not null) headers[name] = string.Join(",", values);
        }
        var fixture = new JsonObject
        {
            ["client"] = "@aws-sdk/client-sfn",
            ["command"] = "StartExecutionCommand",
            ["input"] = new JsonObject
            {
                ["stateMachineArn"] = "arn:aws:states:eu-west-1:123456789012:stateMachine:M",
                ["name"] = "t1",
                ["input"] = """{"triggerId":"t1","quote":"\"é\""}""",
            },
            ["request"] = new JsonObject
            {
                ["method"] = request.Method.Method,
                ["pathAndQuery"] = request.RequestUri!.PathAndQuery,
                ["headers"] = headers,
                ["body"] = capture.Body,
            },
        };
        var text = fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = Path.Combine(RepositoryRoot(), "cloudformation", "tests", "fixtures", "requests", "states-StartExecution.json");
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
