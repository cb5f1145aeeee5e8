using System.Diagnostics;
using System.Management.Automation;

namespace BatchPs.PowerShell.Tests;

/// <summary>Stop-BatchTrigger, Get-BatchTrigger and Get-BatchTriggerLog against a real local stack with its own catalog.</summary>
public sealed class TriggerLifeCmdletTests : IClassFixture<TriggerLifeCmdletTests.Stack>
{
    private readonly Stack _stack;

    public TriggerLifeCmdletTests(Stack stack) => _stack = stack;

    /// <summary>A local stack started by Start-BatchTriggerLocalStack with a catalog of shell jobs.</summary>
    public sealed class Stack : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "batchps-life-" + Guid.NewGuid().ToString("N")[..8]);

        public Stack()
        {
            Directory.CreateDirectory(_folder);
            var catalog = Path.Combine(_folder, "catalog.json");
            File.WriteAllText(catalog, """
                {"jobs": [
                  {"name": "ticker", "command": ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"]},
                  {"name": "three", "command": ["sh", "-c", "echo one; echo two; echo three"]},
                  {"name": "drip", "command": ["sh", "-c", "for i in 1 2 3 4 5; do echo drop $i; sleep 0.3; done"]}
                ]}
                """);
            Session = new PowerShellSession();
            var result = Session.Run($"$stack = Start-BatchTriggerLocalStack -CatalogPath '{catalog}' -Concurrency 4; $stack");
            if (result.Errors.Count > 0 || result.Terminating is not null) throw new InvalidOperationException("Start-BatchTriggerLocalStack failed: " + result);
        }

        public PowerShellSession Session { get; }

        public void Dispose()
        {
            Session.Run("$stack | Stop-BatchTriggerLocalStack");
            Session.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private ScriptResult Run(string script) => _stack.Session.Run(script);

    [Fact]
    public void Stop_with_Force_cancels_a_running_trigger_with_the_reason_and_client()
    {
        var result = Run("""
            $t = $stack | Send-BatchTrigger -JobName ticker
            while (($t | Get-BatchTriggerStatus).Status -ne 'RUNNING') { [Threading.Thread]::Sleep(100) }
            $t | Stop-BatchTrigger -Force -Reason 'No longer needed' -Client tester
            """);
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        var record = Assert.Single(result.Output);
        Assert.Equal("CANCELLED", record.Properties["Status"].Value.ToString());
        Assert.Equal("No longer needed", record.Properties["StatusReason"].Value);
        Assert.Equal("tester", record.Properties["CancelledBy"].Value);
    }

    [Fact]
    public void Stop_with_WhatIf_cancels_nothing_and_a_plain_id_string_pipes_in()
    {
        var result = Run("""
            $t = $stack | Send-BatchTrigger -JobName ticker
            $t.TriggerId | Stop-BatchTrigger -WhatIf -Endpoint $stack.Endpoint
            ($t | Get-BatchTriggerStatus).Status.ToString()
            $t.TriggerId | Stop-BatchTrigger -Confirm:$false -Endpoint $stack.Endpoint | ForEach-Object { $_.Status.ToString() }
            """);
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.NotEqual("CANCELLED", result.Output[0].ToString());
        Assert.Equal("CANCELLED", result.Output[1].ToString());
    }

    [Fact]
    public void Stop_of_a_trigger_that_ended_writes_TriggerAlreadyFinal_with_the_id_as_target()
    {
        var result = Run("""
            $t = $stack | Send-BatchTrigger -JobName three | Wait-BatchTrigger -Timeout 60
            $t | Stop-BatchTrigger -Force
            """);
        var error = result.SingleError();
        Assert.Equal("BatchPs.TriggerAlreadyFinal,BatchPs.PowerShell.Commands.StopBatchTriggerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("SUCCEEDED", error.Exception.Message);
    }

    [Fact]
    public void Get_BatchTrigger_filters_by_job_and_status_newest_first_and_stops_at_First()
    {
        var result = Run("""
            $ids = 1..3 | ForEach-Object { ($stack | Send-BatchTrigger -JobName three -Client lister | Wait-BatchTrigger -Timeout 60).TriggerId }
            $got = @(Get-BatchTrigger -Endpoint $stack.Endpoint -JobName three -Status SUCCEEDED -Client lister -First 2)
            $got.Count
            $got[0].TriggerId -eq $ids[2]
            $got[1].TriggerId -eq $ids[1]
            @(Get-BatchTrigger -Endpoint $stack.Endpoint -JobName three -Status FAILED,CANCELLED -Client lister).Count
            """);
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Equal(new[] { "2", "True", "True", "0" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Get_BatchTriggerLog_writes_each_line_with_its_time_and_Tail_the_last_ones()
    {
        var result = Run("""
            $t = $stack | Send-BatchTrigger -JobName three | Wait-BatchTrigger -Timeout 60
            $all = @($t | Get-BatchTriggerLog)
            ($all.Message -join ',')
            ($all | Where-Object { $_.Timestamp -gt [DateTimeOffset]::MinValue }).Count
            (@($t | Get-BatchTriggerLog -Tail 2).Message -join ',')
            """);
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Equal(new[] { "one,two,three", "3", "two,three" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Get_BatchTriggerLog_Wait_follows_a_running_job_until_it_ends()
    {
        var result = Run("(@($stack | Send-BatchTrigger -JobName drip | Get-BatchTriggerLog -Wait).Message -join ',')");
        Assert.True(result.Errors.Count == 0 && result.Terminating is null, result.ToString());
        Assert.Equal("drop 1,drop 2,drop 3,drop 4,drop 5", Assert.Single(result.Output).ToString());
    }

    [Fact]
    public void Stopping_Get_BatchTriggerLog_Wait_ends_it_promptly()
    {
        var id = Run("($stack | Send-BatchTrigger -JobName ticker).TriggerId").Output[0].ToString();
        using var ps = _stack.Session.CreatePowerShell();
        ps.AddScript($"Get-BatchTriggerLog -TriggerId {id} -Endpoint $stack.Endpoint -Wait");
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (output.Count < 3 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(output.Count >= 3, "the follower wrote the first lines");
        var clock = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(running.IsCompleted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Stop took {clock.ElapsedMilliseconds} ms"); // the ticker never ends: a follower that waited for the job would hang here
        Assert.StartsWith("tick ", output[0].Properties["Message"].Value.ToString());
        Run($"Stop-BatchTrigger {id} -Endpoint $stack.Endpoint -Force");
    }
}
