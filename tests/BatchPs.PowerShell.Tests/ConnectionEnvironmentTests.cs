namespace BatchPs.PowerShell.Tests;

/// <summary>The connection from BATCHPS_ENDPOINT and BATCHPS_API_KEY (process-wide, so not in parallel).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ConnectionEnvironmentTests
{
    [Fact]
    public void Endpoint_and_key_come_from_the_environment_when_not_given()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        try
        {
            Environment.SetEnvironmentVariable("BATCHPS_ENDPOINT", api.Endpoint.AbsoluteUri);
            Environment.SetEnvironmentVariable("BATCHPS_API_KEY", "env-key");
            var result = session.Run("Send-BatchTrigger -JobName hello");
            Assert.True(result.Errors.Count == 0, result.ToString());
            Assert.Equal("env-key", Assert.Single(api.Requests).ApiKey);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATCHPS_ENDPOINT", null);
            Environment.SetEnvironmentVariable("BATCHPS_API_KEY", null);
        }
    }

    [Fact]
    public void Without_an_endpoint_the_error_says_how_to_give_one()
    {
        using var session = new PowerShellSession();
        Environment.SetEnvironmentVariable("BATCHPS_ENDPOINT", null);
        var error = session.Run("Send-BatchTrigger -JobName hello -ApiKey k").SingleError();
        Assert.StartsWith("BatchPs.EndpointMissing,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("BATCHPS_ENDPOINT", error.Exception.Message);
    }

    [Fact]
    public void Without_a_key_the_error_says_how_to_give_one()
    {
        using var session = new PowerShellSession();
        Environment.SetEnvironmentVariable("BATCHPS_API_KEY", null);
        var error = session.Run("Get-BatchTriggerStatus -TriggerId t1 -Endpoint http://127.0.0.1:9/never-used-before").SingleError();
        Assert.StartsWith("BatchPs.ApiKeyMissing,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("BATCHPS_API_KEY", error.Exception.Message);
    }
}
