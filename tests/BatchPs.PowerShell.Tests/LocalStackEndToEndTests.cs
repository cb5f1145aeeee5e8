using System.Management.Automation;
using System.Security;

namespace BatchPs.PowerShell.Tests;

/// <summary>The cmdlets against a real local stack (Kestrel, SQLite, real job processes).</summary>
public sealed class LocalStackEndToEndTests : IClassFixture<LocalStackFixture>
{
    private readonly LocalStackFixture _stack;

    public LocalStackEndToEndTests(LocalStackFixture stack) => _stack = stack;

    private ScriptResult Run(string script) => _stack.Session.Run(script);

    [Fact]
    public void Send_piped_to_Wait_runs_the_sample_job_to_SUCCEEDED()
    {
        var result = Run("$stack | Send-BatchTrigger -JobName hello -Parameter @{ name = 'PowerShell' } | Wait-BatchTrigger -Timeout 120");
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        var record = Assert.Single(result.Output);
        Assert.Equal("BatchPs.Core.Triggers.TriggerRecord", record.TypeNames[0]);
        Assert.Equal("SUCCEEDED", record.Properties["Status"].Value.ToString());
        Assert.Equal(0, record.Properties["ExitCode"].Value);
        Assert.Equal("hello", record.Properties["JobName"].Value);
        Assert.Equal(_stack.Stack.Properties["Endpoint"].Value, record.Properties["Endpoint"].Value);
        var log = Assert.IsType<string>(record.Properties["LogLocation"].Value);
        Assert.Contains("Hello, PowerShell!", File.ReadAllText(log));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Processing);
        Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
    }

    [Fact]
    public void Wait_for_a_failing_job_returns_it_and_writes_TriggerFailed_with_the_exit_code()
    {
        var result = Run("$stack | Send-BatchTrigger -JobName fail | Wait-BatchTrigger -Timeout 120");
        Assert.Equal("FAILED", Assert.Single(result.Output).Properties["Status"].Value.ToString());
        var error = result.SingleError();
        Assert.Equal("BatchPs.TriggerFailed,BatchPs.PowerShell.Commands.WaitBatchTriggerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("code 3", error.Exception.Message);
        Assert.Equal(3, PSObject.AsPSObject(error.Exception).Properties["ExitCode"].Value);
    }

    [Fact]
    public void Wait_with_ErrorAction_Stop_on_a_failing_job_stops_the_script()
    {
        var result = Run("$stack | Send-BatchTrigger -JobName fail | Wait-BatchTrigger -Timeout 120 -ErrorAction Stop; 'not reached'");
        Assert.NotNull(result.Terminating);
        Assert.StartsWith("BatchPs.TriggerFailed,", result.Terminating!.ErrorRecord.FullyQualifiedErrorId);
        Assert.DoesNotContain(result.Output, o => o.ToString() == "not reached");
    }

    [Fact]
    public void An_unknown_job_is_refused_when_sent_with_UnknownJob()
    {
        var result = Run("$stack | Send-BatchTrigger -JobName no-such-job");
        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.StartsWith("BatchPs.UnknownJob,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("no-such-job", error.TargetObject);
    }

    [Fact]
    public void Get_history_piped_from_Wait_returns_the_execution_with_its_states_and_transition_count()
    {
        var result = Run("$stack | Send-BatchTrigger -JobName noop | Wait-BatchTrigger -Timeout 120 | Get-BatchTriggerHistory");
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        var history = Assert.Single(result.Output);
        Assert.Equal("BatchPs.Core.Client.TriggerHistory", history.TypeNames[0]);
        Assert.Equal("SUCCEEDED", history.Properties["Status"].Value);
        Assert.Equal(5, history.Properties["TransitionCount"].Value);
        Assert.Equal(_stack.Stack.Properties["Endpoint"].Value, history.Properties["Endpoint"].Value);
        var events = ((System.Collections.IEnumerable)history.Properties["Events"].Value).Cast<object>().Select(PSObject.AsPSObject).ToList();
        Assert.Equal("ExecutionStarted", events[0].Properties["Type"].Value);
        Assert.Contains(events, e => (string)e.Properties["Type"].Value == "TaskStateEntered" && (string?)e.Properties["StateName"].Value == "Run job");
    }

    [Fact]
    public void Get_history_for_an_unknown_id_writes_TriggerNotFound_ObjectNotFound()
    {
        var error = Run("$stack | Get-BatchTriggerHistory -TriggerId 0000doesnotexist").SingleError();
        Assert.StartsWith("BatchPs.TriggerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("0000doesnotexist", error.TargetObject);
    }

    [Fact]
    public void Get_for_an_unknown_id_writes_TriggerNotFound_ObjectNotFound()
    {
        var error = Run("$stack | Get-BatchTriggerStatus -TriggerId 0000doesnotexist").SingleError();
        Assert.StartsWith("BatchPs.TriggerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("0000doesnotexist", error.TargetObject);
    }

    [Fact]
    public void Send_with_the_same_idempotency_key_returns_the_same_trigger()
    {
        var key = "e2e-" + Guid.NewGuid().ToString("N");
        var result = Run($"1..2 | ForEach-Object {{ $stack | Send-BatchTrigger -JobName noop -IdempotencyKey {key} }}");
        Assert.True(result.Errors.Count == 0, result.ToString());
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(result.Output[0].Properties["TriggerId"].Value, result.Output[1].Properties["TriggerId"].Value);
    }

    [Fact]
    public void A_wrong_api_key_is_refused_with_PermissionDenied()
    {
        var error = Run("Send-BatchTrigger -JobName hello -Endpoint $stack.Endpoint -ApiKey 'not-the-key'").SingleError();
        Assert.StartsWith("BatchPs.Forbidden,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
    }

    [Fact]
    public void Wait_past_its_timeout_writes_WaitTimeout_and_the_job_goes_on()
    {
        var result = Run("$t = $stack | Send-BatchTrigger -JobName hello; $t | Wait-BatchTrigger -Timeout 0");
        var error = result.SingleError();
        Assert.StartsWith("BatchPs.WaitTimeout,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        var final = Run("$t | Wait-BatchTrigger -Timeout 120");
        Assert.Equal("SUCCEEDED", Assert.Single(final.Output).Properties["Status"].Value.ToString());
    }

    [Fact]
    public void The_stack_object_carries_a_secure_key_and_binds_by_property_name()
    {
        Assert.IsType<SecureString>(_stack.Stack.Properties["ApiKey"].Value);
        Assert.Equal(true, _stack.Stack.Properties["IsRunning"].Value);
        Assert.True(Directory.Exists((string)_stack.Stack.Properties["DataDirectory"].Value));
        var result = Run("[pscustomobject]@{ Endpoint = $stack.Endpoint; ApiKey = $stack.ApiKey; JobName = 'noop' } | Send-BatchTrigger");
        Assert.True(result.Errors.Count == 0, result.ToString());
        Assert.Equal("noop", Assert.Single(result.Output).Properties["JobName"].Value);
    }
}
