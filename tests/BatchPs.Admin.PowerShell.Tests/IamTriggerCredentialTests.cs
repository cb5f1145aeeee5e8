using System.Management.Automation;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.PowerShell.Tests;

/// <summary>IAM auth in a clean AWS environment (process-wide, so these run alone).</summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class IamTriggerCredentialTests
{
    [Fact]
    public async Task Iam_without_any_credentials_is_an_authentication_error_that_says_how_to_fix_it()
    {
        using var clean = new CleanAwsEnvironment();
        await using var s = await AdminSession.StartAsync();
        await using var api = await FakeExecuteApi.StartAsync();

        var sent = s.Run($"Send-BatchTrigger -Endpoint '{api.Endpoint}' -JobName hello -Auth Iam -Region {FakeExecuteApi.Region}");

        var error = Assert.Single(sent.AllErrors);
        Assert.Equal("BatchPs.AwsCredentials", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("No AWS credentials found", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-ProfileName", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task A_saved_IAM_connection_makes_Send_sign_with_the_default_credentials_and_region_from_the_environment()
    {
        using var clean = new CleanAwsEnvironment();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", FakeExecuteApi.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", FakeExecuteApi.SecretKey);
        Environment.SetEnvironmentVariable("AWS_REGION", FakeExecuteApi.Region);
        await using var s = await AdminSession.StartAsync();
        await using var api = await FakeExecuteApi.StartAsync();

        var saved = s.Run($"Save-BatchTriggerConnection -Endpoint '{api.Endpoint}' -Auth Iam -PassThru");
        var sent = s.Run("Send-BatchTrigger -JobName hello -Verbose");

        Assert.Empty(saved.AllErrors);
        Assert.Equal(("IAM", false), ((string)saved.Output[0].Properties["AuthMode"].Value, (bool)saved.Output[0].Properties["HasApiKey"].Value));
        Assert.Empty(sent.AllErrors);
        Assert.True(Assert.Single(api.Requests).Valid);
        Assert.Contains(sent.Verbose, v => v.Contains("credentials from the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables", StringComparison.Ordinal));
        Assert.Contains(sent.Verbose, v => v.Contains("region eu-west-1 from the AWS_REGION environment variable", StringComparison.Ordinal));
    }
}
