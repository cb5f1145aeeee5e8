using System.Net;
using Amazon;
using Amazon.Runtime;
using BatchPs.Aws.StepFunctions;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Aws.Tests;

public sealed class StepFunctionsClientTests : IAsyncLifetime
{
    private FakeStepFunctions _server = null!;

    public async Task InitializeAsync() => _server = await FakeStepFunctions.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private StepFunctionsClient Client(AWSCredentials? credentials = null, int maxAttempts = 4) =>
        new(new AwsClientSettings(RegionEndpoint.GetBySystemName(FakeStepFunctions.Region), credentials ?? new BasicAWSCredentials(FakeStepFunctions.AccessKey, FakeStepFunctions.SecretKey))
        {
            ServiceUrl = _server.Endpoint,
            MaxAttempts = maxAttempts,
            BaseRetryDelay = TimeSpan.FromMilliseconds(1),
        });

    private static StartExecutionRequest Start(string name, string input = "{\"triggerId\":\"t1\"}") =>
        new() { StateMachineArn = FakeStepFunctions.StateMachineArn, Name = name, Input = input };

    [Fact]
    public async Task StartExecution_sends_a_signed_request_and_returns_the_execution_arn()
    {
        using var client = Client();

        var response = await client.StartExecutionAsync(Start("t1"), CancellationToken.None);

        Assert.Equal("arn:aws:states:eu-west-1:123456789012:execution:BatchPsTrigger:t1", response.ExecutionArn);
        Assert.True((DateTimeOffset.UtcNow - response.StartDate).Duration() < TimeSpan.FromMinutes(5));
        Assert.Empty(_server.Rejections);
    }

    [Fact]
    public void Default_endpoint_is_the_regional_states_endpoint()
    {
        using var client = new StepFunctionsClient(new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")));
        Assert.Equal(new Uri("https://states.eu-west-1.amazonaws.com/"), client.Endpoint);
    }

    [Fact]
    public async Task Session_credentials_send_and_sign_the_security_token()
    {
        using var client = Client(new SessionAWSCredentials(FakeStepFunctions.AccessKey, FakeStepFunctions.SecretKey, "token-from-lambda"));

        await client.StartExecutionAsync(Start("t1"), CancellationToken.None);

        Assert.Equal(new[] { "token-from-lambda" }, _server.SecurityTokens);
    }

    [Fact]
    public async Task Wrong_secret_key_is_rejected_by_the_signature_check()
    {
        using var client = Client(new BasicAWSCredentials(FakeStepFunctions.AccessKey, "not-the-secret"));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.StartExecutionAsync(Start("t1"), CancellationToken.None));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(1, _server.Requests); // the clock was right, so no skew retry
    }

    [Fact]
    public async Task Same_name_and_same_input_while_running_returns_the_same_execution()
    {
        using var client = Client();

        var first = await client.StartExecutionAsync(Start("t1"), CancellationToken.None);
        var second = await client.StartExecutionAsync(Start("t1"), CancellationToken.None);

        Assert.Equal(first.ExecutionArn, second.ExecutionArn);
        Assert.Equal(1, _server.ExecutionCount);
    }

    [Fact]
    public async Task Same_name_with_other_input_throws_ExecutionAlreadyExists()
    {
        using var client = Client();
        await client.StartExecutionAsync(Start("t1"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ExecutionAlreadyExistsException>(() => client.StartExecutionAsync(Start("t1", "{\"other\":1}"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.NotNull(error.RequestId);
    }

    [Fact]
    public async Task Starter_treats_ExecutionAlreadyExists_of_an_ended_execution_as_already_started()
    {
        using var client = Client();
        var starter = new StepFunctionsWorkflowStarter(client, FakeStepFunctions.StateMachineArn);
        var first = await starter.StartAsync("t1", "{\"triggerId\":\"t1\"}", CancellationToken.None);
        _server.EndExecution("t1");

        var replay = await starter.StartAsync("t1", "{\"triggerId\":\"t1\"}", CancellationToken.None);

        Assert.False(first.AlreadyStarted);
        Assert.True(replay.AlreadyStarted);
        Assert.Equal(first.ExecutionId, replay.ExecutionId);
        Assert.Equal(1, _server.ExecutionCount);
    }

    [Fact]
    public async Task Throttling_is_retried_and_then_succeeds()
    {
        using var client = Client();
        _server.FailNext(2, 400, "ThrottlingException");

        var response = await client.StartExecutionAsync(Start("t1"), CancellationToken.None);

        Assert.EndsWith(":t1", response.ExecutionArn);
        Assert.Equal(3, _server.Requests);
    }

    [Fact]
    public async Task Throttling_beyond_the_attempt_limit_surfaces_the_ThrottlingException()
    {
        using var client = Client(maxAttempts: 3);
        _server.FailNext(5, 400, "ThrottlingException");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.StartExecutionAsync(Start("t1"), CancellationToken.None));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(3, _server.Requests);
    }

    [Fact]
    public async Task Server_errors_are_retried()
    {
        using var client = Client();
        _server.FailNext(1, 500, "InternalFailure");
        _server.FailNext(1, 503, "ServiceUnavailable");

        await client.StartExecutionAsync(Start("t1"), CancellationToken.None);

        Assert.Equal(3, _server.Requests);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.StartExecutionAsync(
            new StartExecutionRequest { StateMachineArn = FakeStepFunctions.StateMachineArn.Replace("BatchPsTrigger", "Other"), Name = "t1" }, CancellationToken.None));

        Assert.Equal("StateMachineDoesNotExist", error.ErrorCode);
        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task A_skewed_clock_is_corrected_from_the_Date_header_and_the_request_succeeds()
    {
        using var client = Client();
        _server.ServerClockOffset = TimeSpan.FromMinutes(20);

        var response = await client.StartExecutionAsync(Start("t1"), CancellationToken.None);
        await client.StartExecutionAsync(Start("t2"), CancellationToken.None);

        Assert.EndsWith(":t1", response.ExecutionArn);
        Assert.Equal(3, _server.Requests); // one expired, then two signed with the corrected clock
        Assert.InRange(client.ClockOffset.TotalMinutes, 19, 21);
    }

    [Fact]
    public async Task Network_errors_are_retried_then_surface()
    {
        // A loopback port nobody listens on: the connection is refused at once.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closed = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        listener.Stop();
        var attempts = 0;
        using var client = new StepFunctionsClient(
            new AwsClientSettings(RegionEndpoint.EUWest1, new BasicAWSCredentials("a", "b")) { ServiceUrl = closed, MaxAttempts = 3, BaseRetryDelay = TimeSpan.FromMilliseconds(1) },
            new CountingHandler(() => attempts++));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.StartExecutionAsync(Start("t1"), CancellationToken.None));

        Assert.Equal(3, attempts);
    }

    private sealed class CountingHandler(Action onSend) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public void Execution_arn_is_derived_from_the_state_machine_arn_and_name()
    {
        Assert.Equal("arn:aws-cn:states:cn-north-1:123456789012:execution:M:n",
            StepFunctionsClient.ExecutionArn("arn:aws-cn:states:cn-north-1:123456789012:stateMachine:M", "n"));
    }

    private const string HistoryArn = "arn:aws:states:eu-west-1:123456789012:execution:BatchPsTrigger:t1";

    private static System.Text.Json.Nodes.JsonObject HistoryEvent(int id) =>
        System.Text.Json.Nodes.JsonNode.Parse($$$"""{"id": {{{id}}}, "previousEventId": {{{id - 1}}}, "timestamp": 1795763580.5, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "S{{{id}}}", "input": "{}"}}""")!.AsObject();

    [Fact]
    public async Task GetExecutionHistory_pages_with_the_token_until_the_last_page()
    {
        _server.SetHistory(HistoryArn, Enumerable.Range(1, 5).Select(HistoryEvent));
        using var client = Client();
        var ids = new List<long>();
        string? token = null;
        do
        {
            var page = await client.GetExecutionHistoryAsync(HistoryArn, 2, token, CancellationToken.None);
            ids.AddRange(page.Events.Select(e => e["id"]!.GetValue<long>()));
            token = page.NextToken;
        } while (token is not null);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, ids);
        Assert.Equal(3, _server.HistoryCalls.Count);
        Assert.All(_server.HistoryCalls, c => Assert.True(c["includeExecutionData"]!.GetValue<bool>()));
        Assert.Empty(_server.Rejections);
    }

    [Fact]
    public async Task GetExecutionHistory_of_an_unknown_execution_is_ExecutionDoesNotExist()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetExecutionHistoryAsync(HistoryArn + "-gone", 10, null, CancellationToken.None));

        Assert.Equal(StepFunctionsClient.ExecutionDoesNotExist, error.ErrorCode);
    }

    [Fact]
    public void Execution_history_timestamps_are_epoch_seconds()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795763580500), StepFunctionsClient.ReadTimestamp(System.Text.Json.Nodes.JsonValue.Create(1795763580.5)));
    }
}
