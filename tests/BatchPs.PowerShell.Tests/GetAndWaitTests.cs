using System.Diagnostics;
using System.Management.Automation;

namespace BatchPs.PowerShell.Tests;

/// <summary>Get-BatchTriggerStatus and Wait-BatchTrigger against a scripted loopback server.</summary>
public sealed class GetAndWaitTests
{
    private static Dictionary<string, object?> Connection(LoopbackApi api) => new() { ["endpoint"] = api.Endpoint, ["key"] = "test-key" };

    [Fact]
    public void Get_unknown_trigger_writes_TriggerNotFound_ObjectNotFound_with_the_id_as_target()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Error(404, "TriggerNotFound", "No trigger has id 'nope'."));
        using var session = new PowerShellSession();
        var result = session.Run("Get-BatchTriggerStatus -TriggerId nope -Endpoint $endpoint -ApiKey $key", Connection(api));
        var error = result.SingleError();
        Assert.Equal("BatchPs.TriggerNotFound,BatchPs.PowerShell.Commands.GetBatchTriggerStatusCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
        Assert.Equal("/triggers/nope", Assert.Single(api.Requests).Path);
    }

    [Fact]
    public void Get_binds_TriggerId_and_Endpoint_by_property_name_and_reuses_the_session_key()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(202, "t1", "RECEIVED"), LoopbackAnswer.Record(200, "t1", "RUNNING"));
        using var session = new PowerShellSession();
        var result = session.Run("Send-BatchTrigger hello -Endpoint $endpoint -ApiKey $key | Get-BatchTriggerStatus", Connection(api));
        Assert.Equal("RUNNING", Assert.Single(result.Output).Properties["Status"].Value.ToString());
        var requests = api.Requests.ToList();
        Assert.Equal("/triggers/t1", requests[1].Path);
        Assert.Equal("test-key", requests[1].ApiKey);
    }

    [Fact]
    public void A_key_remembered_in_one_runspace_is_not_used_by_another()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(200, "t1", "RUNNING"));
        using var first = new PowerShellSession();
        using var second = new PowerShellSession();
        Assert.Empty(first.Run("Get-BatchTriggerStatus t1 -Endpoint $endpoint -ApiKey $key", Connection(api)).Errors);
        var error = second.Run("$env:BATCHPS_API_KEY = $null; Get-BatchTriggerStatus t1 -Endpoint $endpoint", Connection(api)).SingleError();
        Assert.StartsWith("BatchPs.ApiKeyMissing,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Remove_Module_forgets_the_keys_the_runspace_used()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(200, "t1", "RUNNING"));
        using var session = new PowerShellSession();
        Assert.Empty(session.Run("Get-BatchTriggerStatus t1 -Endpoint $endpoint -ApiKey $key", Connection(api)).Errors);
        session.Run($"Remove-Module BatchPs; Import-Module '{PowerShellSession.ModuleManifest}'");
        var error = session.Run("Get-BatchTriggerStatus t1 -Endpoint $endpoint", Connection(api)).SingleError();
        Assert.StartsWith("BatchPs.ApiKeyMissing,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_binds_from_any_object_with_a_TriggerId_property()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(200, "t7", "SUCCEEDED"));
        using var session = new PowerShellSession();
        var result = session.Run("[pscustomobject]@{ TriggerId = 't7' } | Get-BatchTriggerStatus -Endpoint $endpoint -ApiKey $key", Connection(api));
        Assert.Equal("t7", Assert.Single(result.Output).Properties["TriggerId"].Value);
    }

    [Fact]
    public void Wait_polls_until_final_reports_progress_and_completes_it()
    {
        using var api = new LoopbackApi(
            LoopbackAnswer.Record(202, "t1", "RECEIVED"),
            LoopbackAnswer.Record(200, "t1", "STARTED"),
            LoopbackAnswer.Record(200, "t1", "RUNNING"),
            LoopbackAnswer.Record(200, "t1", "SUCCEEDED", exitCode: 0));
        using var session = new PowerShellSession();
        var result = session.Run("Send-BatchTrigger hello -Endpoint $endpoint -ApiKey $key | Wait-BatchTrigger", Connection(api));
        Assert.Empty(result.Errors);
        var record = Assert.Single(result.Output);
        Assert.Equal("SUCCEEDED", record.Properties["Status"].Value.ToString());
        Assert.Equal(4, api.Requests.Count);
        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("RUNNING 00:00:", StringComparison.Ordinal) && p.Activity == "Job 'hello'");
        Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
    }

    [Theory]
    [InlineData("FAILED", "BatchPs.TriggerFailed", ErrorCategory.InvalidResult)]
    [InlineData("REJECTED", "BatchPs.TriggerRejected", ErrorCategory.InvalidArgument)]
    [InlineData("CANCELLED", "BatchPs.TriggerCancelled", ErrorCategory.OperationStopped)]
    public void Wait_for_a_trigger_that_ends_badly_returns_it_and_writes_an_error_with_reason_and_exit_code(string status, string errorId, ErrorCategory category)
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(200, "t1", status, reason: "Essential container exited", exitCode: 3));
        using var session = new PowerShellSession();
        var result = session.Run("Wait-BatchTrigger -TriggerId t1 -Endpoint $endpoint -ApiKey $key", Connection(api));
        Assert.Equal(status, Assert.Single(result.Output).Properties["Status"].Value.ToString());
        var error = result.SingleError();
        Assert.Equal(errorId + ",BatchPs.PowerShell.Commands.WaitBatchTriggerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains("Essential container exited", error.Exception.Message);
        Assert.Contains("exit code 3", error.Exception.Message);
        Assert.Equal("t1", ((PSObject)PSObject.AsPSObject(error.TargetObject)).Properties["TriggerId"].Value);
    }

    [Fact]
    public void Wait_with_ErrorAction_Stop_fails_the_script_when_the_job_failed()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(200, "t1", "FAILED", reason: "exit 1", exitCode: 1));
        using var session = new PowerShellSession();
        var result = session.Run("Wait-BatchTrigger t1 -Endpoint $endpoint -ApiKey $key -ErrorAction Stop; 'not reached'", Connection(api));
        Assert.NotNull(result.Terminating);
        Assert.DoesNotContain(result.Output, o => o.ToString() == "not reached");
        Assert.StartsWith("BatchPs.TriggerFailed,", result.Terminating!.ErrorRecord.FullyQualifiedErrorId);
    }

    [Fact]
    public void Wait_past_its_timeout_writes_WaitTimeout_with_the_last_status()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(200, "t1", "RUNNABLE", reason: "waiting for capacity"));
        using var session = new PowerShellSession();
        var result = session.Run("Wait-BatchTrigger t1 -Timeout 1 -Endpoint $endpoint -ApiKey $key", Connection(api));
        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.StartsWith("BatchPs.WaitTimeout,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("RUNNABLE", error.Exception.Message);
        Assert.Contains("waiting for capacity", error.Exception.Message);
        Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
    }

    [Fact]
    public async Task Wait_stops_at_once_when_the_pipeline_is_stopped()
    {
        using var api = new LoopbackApi(LoopbackAnswer.Record(200, "t1", "RUNNING"));
        using var session = new PowerShellSession();
        using var ps = session.CreatePowerShell();
        var run = Task.Run(() => session.Run(ps, "Wait-BatchTrigger t1 -Endpoint $endpoint -ApiKey $key", Connection(api)));
        var deadline = Stopwatch.StartNew();
        while (api.Requests.Count < 3 && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        Assert.True(api.Requests.Count >= 3, "Wait-BatchTrigger did not poll: " + (run.IsCompleted ? (await run).ToString() : "still running"));
        var stopped = Stopwatch.StartNew();
        ps.Stop();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopped.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Empty(result.Output);
    }
}
