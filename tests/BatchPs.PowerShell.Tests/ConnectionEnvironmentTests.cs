namespace BatchPs.PowerShell.Tests;

/// <summary>The connection from BATCHPS_ENDPOINT, BATCHPS_API_KEY and saved connections (process-wide, so not in parallel).</summary>
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
    public void A_saved_default_connection_supplies_endpoint_and_key_and_no_AWS_SDK_is_loaded()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        var folder = Path.Combine(Path.GetTempPath(), "batchps-saved-" + Guid.NewGuid().ToString("N"));
        try
        {
            Environment.SetEnvironmentVariable("BATCHPS_CONNECTIONS_DIR", folder);
            Environment.SetEnvironmentVariable("BATCHPS_ENDPOINT", null);
            Environment.SetEnvironmentVariable("BATCHPS_API_KEY", null);
            var saved = session.Run("$null = Save-BatchTriggerConnection -Endpoint $endpoint -ApiKey 'saved-key'; Send-BatchTrigger -JobName hello",
                new Dictionary<string, object?> { ["endpoint"] = api.Endpoint });
            Assert.True(saved.Errors.Count == 0, saved.ToString());
            Assert.Equal("saved-key", Assert.Single(api.Requests).ApiKey);
            // With an API key the on-prem cmdlets (which also take AWS credential parameters for IAM stacks), and
            // saving a connection by hand, never load the admin engine or the AWS SDK.
            var explicitKey = session.Run("Send-BatchTrigger -JobName hello -Auth ApiKey -ApiKey 'saved-key' -Region eu-west-1 | Get-BatchTriggerStatus");
            Assert.True(explicitKey.Errors.Count == 0, explicitKey.ToString());
            Assert.DoesNotContain(System.Runtime.Loader.AssemblyLoadContext.All.SelectMany(c => c.Assemblies),
                a => a.GetName().Name!.StartsWith("AWSSDK.", StringComparison.Ordinal) || a.GetName().Name == "BatchPs.Admin");
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATCHPS_CONNECTIONS_DIR", null);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_connection_named_by_BATCHPS_CONNECTION_that_is_not_saved_is_an_error()
    {
        using var session = new PowerShellSession();
        var folder = Path.Combine(Path.GetTempPath(), "batchps-saved-" + Guid.NewGuid().ToString("N"));
        try
        {
            Environment.SetEnvironmentVariable("BATCHPS_CONNECTIONS_DIR", folder);
            Environment.SetEnvironmentVariable("BATCHPS_CONNECTION", "prod");
            Environment.SetEnvironmentVariable("BATCHPS_ENDPOINT", null);
            var error = session.Run("Send-BatchTrigger -JobName hello").SingleError();
            Assert.StartsWith("BatchPs.ConnectionNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("Save-BatchTriggerConnection", error.Exception.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATCHPS_CONNECTIONS_DIR", null);
            Environment.SetEnvironmentVariable("BATCHPS_CONNECTION", null);
        }
    }

    [Fact]
    public void Without_an_endpoint_the_error_says_how_to_give_one()
    {
        using var session = new PowerShellSession();
        Environment.SetEnvironmentVariable("BATCHPS_ENDPOINT", null);
        Environment.SetEnvironmentVariable("BATCHPS_CONNECTIONS_DIR", Path.Combine(Path.GetTempPath(), "batchps-none-" + Guid.NewGuid().ToString("N")));
        var error = session.Run("Send-BatchTrigger -JobName hello -ApiKey k").SingleError();
        Assert.StartsWith("BatchPs.EndpointMissing,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("BATCHPS_ENDPOINT", error.Exception.Message);
        Assert.Contains("Save-BatchTriggerConnection", error.Exception.Message);
        Environment.SetEnvironmentVariable("BATCHPS_CONNECTIONS_DIR", null);
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
