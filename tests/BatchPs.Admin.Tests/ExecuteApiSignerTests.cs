using BatchPs.Admin.Aws;
using BatchPs.Core.Client;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.Tests;

[Collection(AwsEnvironmentCollection.Name)]
public sealed class ExecuteApiSignerTests
{
    private static AwsConnectionOptions Keys(string? region = null) => new() { AccessKey = "AKIDEXAMPLE", SecretKey = "secret", Region = region };

    [Theory]
    [InlineData("abc123.execute-api.eu-west-1.amazonaws.com", "eu-west-1")]
    [InlineData("ABC123.EXECUTE-API.US-GOV-WEST-1.AMAZONAWS.COM", "us-gov-west-1")]
    [InlineData("a1b2c3.execute-api.cn-north-1.amazonaws.com.cn", "cn-north-1")]
    [InlineData("a1b2c3.execute-api-fips.us-east-1.amazonaws.com", "us-east-1")]
    [InlineData("api.example.com", null)]
    [InlineData("127.0.0.1", null)]
    [InlineData("abc123.execute-api.eu-west-1.amazonaws.com.evil.example", null)]
    public void The_region_is_read_from_an_execute_api_host_only(string host, string? region) =>
        Assert.Equal(region, ExecuteApiSigner.RegionOfHost(host));

    [Fact]
    public async Task Requests_are_signed_for_execute_api_in_the_hosts_region_unless_Region_overrides_it()
    {
        var endpoint = new Uri("https://abc123.execute-api.ap-southeast-2.amazonaws.com/prod");
        var fromHost = new ExecuteApiSigner(Keys(), endpoint);
        var overridden = new ExecuteApiSigner(Keys("eu-central-1"), endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint + "/triggers")) { Content = new StringContent("{}") };

        await fromHost.SignAsync(request, CancellationToken.None);

        Assert.Equal("ap-southeast-2", fromHost.Region);
        Assert.Contains("the endpoint's host", fromHost.ConnectionDescription, StringComparison.Ordinal);
        Assert.Equal("eu-central-1", overridden.Region);
        var authorization = Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", authorization, StringComparison.Ordinal);
        Assert.Contains("/ap-southeast-2/execute-api/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Contains("content-type", authorization, StringComparison.Ordinal);
        Assert.Single(request.Headers.GetValues("X-Amz-Date"));
    }

    [Fact]
    public async Task Signing_again_replaces_the_previous_signature_headers()
    {
        var signer = new ExecuteApiSigner(Keys(), new Uri("https://abc123.execute-api.eu-west-1.amazonaws.com/prod"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/triggers/t-1");

        await signer.SignAsync(request, CancellationToken.None);
        await signer.SignAsync(request, CancellationToken.None);

        Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.Single(request.Headers.GetValues("X-Amz-Date"));
    }

    [Fact]
    public void A_host_without_a_region_and_no_other_region_source_is_a_credential_error()
    {
        using var clean = new CleanAwsEnvironment();

        var error = Assert.Throws<AwsCredentialException>(() => new ExecuteApiSigner(Keys(), new Uri("https://api.example.com/v1")));

        Assert.Contains("No AWS region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_that_cannot_produce_keys_fail_the_call_with_CredentialsUnavailable()
    {
        var options = Keys();
        options.AccessKey = null;
        options.SecretKey = null;
        options.Credential = new FailingCredentials();
        var signer = new ExecuteApiSigner(options, new Uri("https://abc123.execute-api.eu-west-1.amazonaws.com/prod"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/triggers/t-1");

        var error = await Assert.ThrowsAsync<BatchTriggerException>(() => signer.SignAsync(request, CancellationToken.None));

        Assert.Equal(ClientErrorCodes.CredentialsUnavailable, error.Code);
        Assert.Contains("the -Credential parameter", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A foreign credentials object (as AWS Tools' would be) whose session has expired.</summary>
    private sealed class FailingCredentials
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "The module finds GetCredentials() on a foreign credentials object as an instance method, by reflection.")]
        public object GetCredentials() => throw new InvalidOperationException("The SSO session has expired.");
    }

    [Theory]
    [InlineData(60)]
    [InlineData(-60)]
    public async Task A_local_clock_an_hour_off_is_corrected_from_API_Gateways_Date_and_the_send_succeeds(int serverAheadMinutes)
    {
        await using var api = await FakeExecuteApi.StartAsync();
        api.ClockOffset = TimeSpan.FromMinutes(serverAheadMinutes);
        var signer = new ExecuteApiSigner(new AwsConnectionOptions { AccessKey = FakeExecuteApi.AccessKey, SecretKey = FakeExecuteApi.SecretKey, Region = FakeExecuteApi.Region }, api.Endpoint);
        using var client = new BatchTriggerClient(new BatchTriggerClientOptions(api.Endpoint, signer) { Retry = RetryPolicy.None });

        var record = await client.SendAsync(new BatchPs.Core.Triggers.TriggerRequest { JobName = "hello" });

        Assert.Equal("hello", record.JobName);
        var seen = api.Requests.ToArray();
        Assert.Equal(2, seen.Length); // refused once for the clock, then signed again with the server's time
        Assert.InRange(signer.ClockOffset, TimeSpan.FromMinutes(serverAheadMinutes) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(serverAheadMinutes) + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_signature_refused_with_the_clocks_in_step_is_not_sent_again()
    {
        await using var api = await FakeExecuteApi.StartAsync();
        var signer = new ExecuteApiSigner(new AwsConnectionOptions { AccessKey = FakeExecuteApi.AccessKey, SecretKey = "not-the-secret", Region = FakeExecuteApi.Region }, api.Endpoint);
        using var client = new BatchTriggerClient(new BatchTriggerClientOptions(api.Endpoint, signer) { Retry = RetryPolicy.None });

        var error = await Assert.ThrowsAsync<BatchTriggerException>(() => client.SendAsync(new BatchPs.Core.Triggers.TriggerRequest { JobName = "hello" }));

        Assert.Equal(403, error.StatusCode);
        Assert.Single(api.Requests);
        Assert.Equal(TimeSpan.Zero, signer.ClockOffset);
    }
}
