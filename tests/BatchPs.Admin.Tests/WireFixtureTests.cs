using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Admin.Aws;
using BatchPs.Admin.Aws.ApiGateway;
using BatchPs.Admin.Aws.CloudFormation;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.Tests;

/// <summary>
/// The requests the admin engine's hand-written AWS clients put on the wire, kept in
/// cloudformation/tests/fixtures/requests/*.json with the operation's input in the JS SDK v3's terms. The Node
/// checks (wire.test.js) build the JS SDK's request for the same input and compare method, path, query, protocol
/// headers and body. Set BATCHPS_UPDATE_FIXTURES=1 to rewrite the files after a deliberate change.
/// </summary>
public sealed class WireFixtureTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot(), "cloudformation", "tests", "fixtures", "requests");

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BatchPs.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("BatchPs.sln not found");
    }

    [Fact]
    public async Task Admin_clients_requests_are_kept_as_fixtures_for_the_SDK_comparison()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());
        var session = AwsSessionResolver.Resolve(context.Options());
        var apiGateway = new ApiGatewayClient(session, AdminTestContext.FastRetry);
        var cloudFormation = new CloudFormationClient(session, AdminTestContext.FastRetry);
        var fixtures = new List<(string Name, string Client, string Command, JsonObject Input)>();

        async Task Capture(string name, string client, string command, JsonObject input, Func<Task> call)
        {
            context.Aws.WireRequests.Clear();
            await call();
            fixtures.Add((name, client, command, input));
            Write(name, client, command, input, Assert.Single(context.Aws.WireRequests));
        }

        await Capture("apigateway-GetApiKey", "api-gateway", "GetApiKeyCommand", new JsonObject { ["apiKey"] = "k3y1d", ["includeValue"] = true },
            () => apiGateway.GetValueAsync("k3y1d", CancellationToken.None));
        await Capture("apigateway-CreateDeployment", "api-gateway", "CreateDeploymentCommand",
            new JsonObject { ["restApiId"] = "abc123", ["stageName"] = "prod", ["description"] = "BatchPs stack update" },
            () => apiGateway.CreateDeploymentAsync("abc123", "prod", "BatchPs stack update", CancellationToken.None));
        await Capture("cloudformation-DescribeStacks", "cloudformation", "DescribeStacksCommand", new JsonObject { ["StackName"] = "BatchPs" },
            () => cloudFormation.DescribeStackAsync("BatchPs", CancellationToken.None));
        var request = new ChangeSetRequest
        {
            StackName = "BatchPs2", ChangeSetName = "batchps-1", ChangeSetType = "CREATE",
            TemplateUrl = "https://bucket.s3.eu-west-1.amazonaws.com/batchps/template.yaml",
            Parameters = new Dictionary<string, string> { ["AuthMode"] = "IAM", ["StageName"] = "v1" },
            Capabilities = ["CAPABILITY_IAM"],
            Tags = new Dictionary<string, string> { ["team"] = "data & ops" },
            Description = "BatchPs: create",
        };
        var changeSetId = "";
        await Capture("cloudformation-CreateChangeSet", "cloudformation", "CreateChangeSetCommand", new JsonObject
        {
            ["StackName"] = "BatchPs2", ["ChangeSetName"] = "batchps-1", ["ChangeSetType"] = "CREATE",
            ["TemplateURL"] = "https://bucket.s3.eu-west-1.amazonaws.com/batchps/template.yaml", ["Description"] = "BatchPs: create",
            ["Parameters"] = new JsonArray(
                new JsonObject { ["ParameterKey"] = "AuthMode", ["ParameterValue"] = "IAM" },
                new JsonObject { ["ParameterKey"] = "StageName", ["ParameterValue"] = "v1" }),
            ["Capabilities"] = new JsonArray("CAPABILITY_IAM"),
            ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "team", ["Value"] = "data & ops" }),
        }, async () => changeSetId = (await cloudFormation.CreateChangeSetAsync(request, CancellationToken.None)).ChangeSetId);
        Assert.NotEmpty(changeSetId);
    }

    private static void Write(string name, string client, string command, JsonObject input, WireRequest wire)
    {
        var headers = new JsonObject();
        foreach (var (key, value) in wire.Headers.OrderBy(h => h.Key, StringComparer.Ordinal)) headers[key] = value;
        var fixture = new JsonObject
        {
            ["client"] = $"@aws-sdk/client-{client}",
            ["command"] = command,
            ["input"] = input,
            ["request"] = new JsonObject { ["method"] = wire.Method, ["pathAndQuery"] = wire.PathAndQuery, ["headers"] = headers, ["body"] = wire.Body },
        };
        var text = fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = Path.Combine(Folder, name + ".json");
        if (Environment.GetEnvironmentVariable("BATCHPS_UPDATE_FIXTURES") == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, text);
        }
        Assert.True(File.Exists(path), $"{path} is missing; run with BATCHPS_UPDATE_FIXTURES=1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), JsonNode.Parse(text)),
            $"{path} differs from the request the client sends now; run with BATCHPS_UPDATE_FIXTURES=1 and check cloudformation/tests (npm test).");
    }
}
