using Amazon;
using Amazon.Runtime;
using BatchPs.Aws.CloudWatchLogs;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Aws.Tests;

/// <summary>GetLogEvents against a loopback CloudWatch Logs that checks the signature and pages as the API reference says.</summary>
public sealed class CloudWatchLogsClientTests : IAsyncLifetime
{
    private const string Group = "/aws/batch/job";
    private const string Stream = "hello/default/4c7599ae0a8249aaba5a4727fcce14a8";
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 7, 13, 0, TimeSpan.Zero);
    private FakeCloudWatchLogs _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeCloudWatchLogs.StartAsync();
        _server.Append(Group, Stream, Enumerable.Range(1, 5).Select(i => (Start.AddSeconds(i), $"line {i}")).ToArray());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private CloudWatchLogsClient Client(string secret = FakeCloudWatchLogs.SecretKey) =>
        new(new AwsClientSettings(RegionEndpoint.GetBySystemName(FakeCloudWatchLogs.Region), new BasicAWSCredentials(FakeCloudWatchLogs.AccessKey, secret))
        {
            ServiceUrl = _server.Endpoint,
            MaxAttempts = 1,
        });

    [Fact]
    public async Task GetLogEvents_sends_a_signed_json_1_1_request_and_reads_events_oldest_first()
    {
        using var client = Client();

        var page = await client.GetLogEventsAsync(Group, Stream, 2, startFromHead: true, nextToken: null, CancellationToken.None);

        Assert.Equal(new[] { "line 1", "line 2" }, page.Events.Select(e => e.Message));
        Assert.Equal(Start.AddSeconds(1), page.Events[0].Timestamp);
        Assert.Empty(_server.Rejections);
        var call = Assert.Single(_server.Calls);
        Assert.Equal(Group, call["logGroupName"]!.GetValue<string>());
        Assert.True(call["startFromHead"]!.GetValue<bool>());
        Assert.Equal(2, call["limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task Forward_tokens_page_to_the_end_and_then_return_the_same_token()
    {
        using var client = Client();
        var lines = new List<string>();
        string? token = null;
        for (var i = 0; i < 4; i++)
        {
            var page = await client.GetLogEventsAsync(Group, Stream, 2, startFromHead: true, token, CancellationToken.None);
            lines.AddRange(page.Events.Select(e => e.Message));
            if (page.NextForwardToken == token) break;
            token = page.NextForwardToken;
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"line {i}"), lines);
        _server.Append(Group, Stream, (Start.AddSeconds(9), "line 6"));
        var grown = await client.GetLogEventsAsync(Group, Stream, 2, startFromHead: true, token, CancellationToken.None);
        Assert.Equal("line 6", Assert.Single(grown.Events).Message);
    }

    [Fact]
    public async Task Without_start_from_head_the_page_is_the_last_events()
    {
        using var client = Client();

        var page = await client.GetLogEventsAsync(Group, Stream, 2, startFromHead: false, nextToken: null, CancellationToken.None);

        Assert.Equal(new[] { "line 4", "line 5" }, page.Events.Select(e => e.Message));
    }

    [Fact]
    public async Task A_stream_that_does_not_exist_is_ResourceNotFoundException()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetLogEventsAsync(Group, "no/such/stream", 10, true, null, CancellationToken.None));

        Assert.Equal(CloudWatchLogsClient.ResourceNotFound, error.ErrorCode);
        Assert.Contains("log stream does not exist", error.Message);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_signature_check()
    {
        using var client = Client("not-the-secret");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetLogEventsAsync(Group, Stream, 10, true, null, CancellationToken.None));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.NotEmpty(_server.Rejections);
    }

    [Fact]
    public void Default_endpoint_is_the_regional_logs_endpoint()
    {
        using var client = new CloudWatchLogsClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")));
        Assert.Equal(new Uri("https://logs.eu-west-1.amazonaws.com/"), client.Endpoint);
    }
}
