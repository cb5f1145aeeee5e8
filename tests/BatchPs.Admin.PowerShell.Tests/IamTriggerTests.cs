using System.Management.Automation;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.PowerShell.Tests;

/// <summary>Send-, Get- and Wait-BatchTrigger against a stack with IAM auth: SigV4 for execute-api, verified by the fake.</summary>
public sealed class IamTriggerTests
{
    private static string Keys => $"-Region {FakeExecuteApi.Region} -AccessKey {FakeExecuteApi.AccessKey} -SecretKey '{FakeExecuteApi.SecretKey}'";

    [Fact]
    public async Task Send_with_AWS_credentials_signs_for_execute_api_and_Wait_and_Get_sign_with_the_same_credentials()
    {
        await using var s = await AdminSession.StartAsync();
        await using var api = await FakeExecuteApi.StartAsync();

        var waited = s.Run($"Send-BatchTrigger -Endpoint '{api.Endpoint}' -JobName hello {Keys} -Verbose | Wait-BatchTrigger");
        var got = s.Run($"Get-BatchTriggerStatus -Endpoint '{api.Endpoint}' -TriggerId t-1");

        Assert.Empty(waited.AllErrors);
        Assert.Equal("SUCCEEDED", Assert.Single(waited.Output).Properties["Status"].Value.ToString());
        Assert.Empty(got.AllErrors);
        Assert.Equal("hello", Assert.Single(got.Output).Properties["JobName"].Value);
        Assert.Equal(new[] { "POST /prod/triggers", "GET /prod/triggers/t-1", "GET /prod/triggers/t-1" }, api.Requests.Select(r => r.Method + " " + r.Path).Take(3));
        Assert.All(api.Requests, r => Assert.True(r.Valid, r.Problem));
        Assert.Contains(waited.Verbose, v => v.Contains("credentials from the -AccessKey/-SecretKey parameters", StringComparison.Ordinal)
                                           && v.Contains("region eu-west-1 from the -Region parameter", StringComparison.Ordinal));
        Assert.DoesNotContain(waited.Verbose, v => v.Contains(FakeExecuteApi.SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retried_send_is_signed_afresh_for_each_attempt()
    {
        await using var s = await AdminSession.StartAsync();
        await using var api = await FakeExecuteApi.StartAsync();
        api.UnavailableNext = 1;

        var sent = s.Run($"Send-BatchTrigger -Endpoint '{api.Endpoint}' -JobName hello -Auth Iam {Keys} -SessionToken 'FwoGZXIvYXdzEXAMPLETOKEN'");

        Assert.Empty(sent.AllErrors);
        Assert.Equal("t-1", Assert.Single(sent.Output).Properties["TriggerId"].Value);
        var attempts = api.Requests.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, r => Assert.True(r.Valid, r.Problem));
        Assert.All(attempts, r => Assert.Equal("FwoGZXIvYXdzEXAMPLETOKEN", r.SecurityToken));
        Assert.True(string.CompareOrdinal(attempts[1].AmzDate, attempts[0].AmzDate) > 0, $"{attempts[1].AmzDate} is not after {attempts[0].AmzDate}");
        Assert.NotEqual(attempts[0].Authorization, attempts[1].Authorization);
    }

    [Fact]
    public async Task A_profile_from_ProfileLocation_signs_the_request()
    {
        await using var s = await AdminSession.StartAsync();
        await using var api = await FakeExecuteApi.StartAsync();
        var file = Path.Combine(s.Folder, "credentials");
        File.WriteAllText(file, $"[caller]\naws_access_key_id = {FakeExecuteApi.AccessKey}\naws_secret_access_key = {FakeExecuteApi.SecretKey}\n");

        var sent = s.Run($"Send-BatchTrigger -Endpoint '{api.Endpoint}' -JobName hello -ProfileName caller -ProfileLocation '{file}' -Region {FakeExecuteApi.Region}");

        Assert.Empty(sent.AllErrors);
        Assert.True(Assert.Single(api.Requests).Valid);
    }

    [Fact]
    public async Task A_wrong_secret_key_surfaces_API_Gateways_403_as_a_permission_error()
    {
        await using var s = await AdminSession.StartAsync();
        await using var api = await FakeExecuteApi.StartAsync();

        var sent = s.Run($"Send-BatchTrigger -Endpoint '{api.Endpoint}' -JobName hello -Region {FakeExecuteApi.Region} -AccessKey {FakeExecuteApi.AccessKey} -SecretKey 'not-the-secret'");

        var error = Assert.Single(sent.AllErrors);
        Assert.Equal(("BatchPs.Forbidden", ErrorCategory.PermissionDenied), Id(error));
        Assert.Contains("signature we calculated does not match", error.Exception.Message, StringComparison.Ordinal);
        Assert.Single(api.Requests); // a 403 is not retried
    }

    [Fact]
    public async Task An_API_key_together_with_AWS_credentials_is_refused_before_any_request()
    {
        await using var s = await AdminSession.StartAsync();
        await using var api = await FakeExecuteApi.StartAsync();

        var sent = s.Run($"Send-BatchTrigger -Endpoint '{api.Endpoint}' -JobName hello -ApiKey 'some-key' {Keys}");

        var error = Assert.Single(sent.AllErrors);
        Assert.Equal(("BatchPs.AuthConflict", ErrorCategory.InvalidArgument), Id(error));
        Assert.Empty(api.Requests);
    }

    private static (string, ErrorCategory) Id(ErrorRecord error) => (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category);
}
