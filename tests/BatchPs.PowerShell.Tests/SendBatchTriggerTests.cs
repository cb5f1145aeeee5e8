using System.Management.Automation;

namespace BatchPs.PowerShell.Tests;

/// <summary>Send-BatchTrigger against a scripted loopback server (the contract's answers).</summary>
public sealed class SendBatchTriggerTests
{
    private static Dictionary<string, object?> Connection(LoopbackApi api) => new() { ["endpoint"] = api.Endpoint, ["key"] = "test-key" };

    [Fact]
    public void Send_returns_a_typed_record_with_the_endpoint_and_sends_the_api_key()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        var result = session.Run("Send-BatchTrigger -JobName hello -Endpoint $endpoint -ApiKey $key -Parameter @{ date = '2026-11-24' }", Connection(api));
        var record = Assert.Single(result.Output);
        Assert.Equal("BatchPs.Core.Triggers.TriggerRecord", record.TypeNames[0]);
        Assert.Equal("t1", record.Properties["TriggerId"].Value);
        Assert.Equal("RECEIVED", record.Properties["Status"].Value.ToString());
        Assert.Equal(api.Endpoint, record.Properties["Endpoint"].Value);
        var request = Assert.Single(api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/triggers", request.Path);
        Assert.Equal("test-key", request.ApiKey);
        Assert.Equal("hello", request.Json.GetProperty("jobName").GetString());
        Assert.Equal("2026-11-24", request.Json.GetProperty("parameters").GetProperty("date").GetString());
        Assert.Matches("^[0-9a-f]{32}$", request.Json.GetProperty("idempotencyKey").GetString());
    }

    [Fact]
    public void Send_with_WhatIf_sends_nothing()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        var result = session.Run("Send-BatchTrigger -JobName hello -Endpoint $endpoint -ApiKey $key -WhatIf", Connection(api));
        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public void Send_retries_503_and_429_honouring_Retry_After_with_one_idempotency_key()
    {
        using var api = new LoopbackApi(
            LoopbackAnswer.Error(503, "ServiceUnavailable", "starting", ("Retry-After", "1")),
            LoopbackAnswer.Error(429, "Throttled", "slow down", ("Retry-After", "1")),
            LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        var result = session.Run("Send-BatchTrigger -JobName hello -Endpoint $endpoint -ApiKey $key", Connection(api));
        Assert.Equal("t1", Assert.Single(result.Output).Properties["TriggerId"].Value);
        var requests = api.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Json.GetProperty("idempotencyKey").GetString()).Distinct());
        // Retry-After: 1 means at least a second between attempts (allowing for clock granularity).
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900));
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public void Send_keeps_the_given_idempotency_key()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        session.Run("Send-BatchTrigger hello -Endpoint $endpoint -ApiKey $key -IdempotencyKey nightly-2026-11-24", Connection(api));
        Assert.Equal("nightly-2026-11-24", Assert.Single(api.Requests).Json.GetProperty("idempotencyKey").GetString());
    }

    [Fact]
    public void Send_refused_by_the_server_writes_an_error_with_the_api_code_and_the_job_as_target()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Error(400, "UnknownJob", "Job 'nope' is not in the catalog."));
        using var session = new PowerShellSession();
        var result = session.Run("Send-BatchTrigger -JobName nope -Endpoint $endpoint -ApiKey $key", Connection(api));
        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.Equal("BatchPs.UnknownJob,BatchPs.PowerShell.Commands.SendBatchTriggerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
        Assert.Single(api.Requests); // a 4xx is final: not retried
    }

    [Fact]
    public void Send_with_a_wrong_key_writes_PermissionDenied()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Error(403, "Forbidden", "The API key is missing or wrong."));
        using var session = new PowerShellSession();
        var error = session.Run("Send-BatchTrigger -JobName hello -Endpoint $endpoint -ApiKey wrong", Connection(api)).SingleError();
        Assert.StartsWith("BatchPs.Forbidden,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
    }

    [Fact]
    public void Send_to_a_stack_whose_disk_is_full_writes_WriteError_at_once_with_the_stacks_message()
    {
        using var api = new LoopbackApi(
            LoopbackAnswer.Error(507, "StorageFull", "The disk of the local stack's data folder '/data' is full, so nothing was stored."),
            LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        var error = session.Run("Send-BatchTrigger -JobName hello -Endpoint $endpoint -ApiKey $key", Connection(api)).SingleError();
        Assert.StartsWith("BatchPs.StorageFull,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Contains("data folder '/data' is full", error.Exception.Message, StringComparison.Ordinal);
        Assert.Single(api.Requests); // not retried: a person must free space first
    }

    [Fact]
    public void Send_converts_scalar_parameter_values_invariantly()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        var result = session.Run("Send-BatchTrigger hello -Endpoint $endpoint -ApiKey $key -Parameter @{ n = 42; ratio = 1.5; flag = $true; day = [datetime]::new(2026, 11, 24, 0, 0, 0, [DateTimeKind]::Utc) }", Connection(api));
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        var parameters = Assert.Single(api.Requests).Json.GetProperty("parameters");
        Assert.Equal("42", parameters.GetProperty("n").GetString());
        Assert.Equal("1.5", parameters.GetProperty("ratio").GetString());
        Assert.Equal("true", parameters.GetProperty("flag").GetString());
        Assert.Equal("2026-11-24T00:00:00.0000000Z", parameters.GetProperty("day").GetString());
    }

    [Fact]
    public void Send_refuses_a_non_scalar_parameter_value_before_sending()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"));
        using var session = new PowerShellSession();
        var error = session.Run("Send-BatchTrigger hello -Endpoint $endpoint -ApiKey $key -Parameter @{ files = @('a', 'b') }", Connection(api)).SingleError();
        Assert.StartsWith("BatchPs.InvalidParameterValue,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("'files'", error.Exception.Message);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public void Send_to_an_unreachable_endpoint_fails_with_ConnectionError_after_retrying()
    {
        using var session = new PowerShellSession();
        // A port that was free a moment ago: connections are refused.
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var error = session.Run($"Send-BatchTrigger hello -Endpoint http://127.0.0.1:{port} -ApiKey k").SingleError();
        Assert.StartsWith("BatchPs.ConnectionFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.NotNull(error.Exception.InnerException);
    }
}
