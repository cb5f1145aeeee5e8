using System.Diagnostics;

namespace BatchPs.PowerShell.Tests;

/// <summary>Start-BatchTriggerLocalStack and Stop-BatchTriggerLocalStack with their own stacks.</summary>
public sealed class LocalStackLifecycleTests
{
    [Fact]
    public void Stop_ends_the_process_and_removes_the_temp_data_folder()
    {
        using var session = new PowerShellSession();
        var stack = Assert.Single(session.Run("$s = Start-BatchTriggerLocalStack; $s").Output);
        var pid = (int)stack.Properties["ProcessId"].Value;
        var data = (string)stack.Properties["DataDirectory"].Value;
        Assert.StartsWith("http://127.0.0.1:", stack.Properties["Endpoint"].Value.ToString());
        var stop = session.Run("$s | Stop-BatchTriggerLocalStack -PassThru");
        Assert.True(stop.Errors.Count == 0, stop.ToString());
        Assert.Equal(false, Assert.Single(stop.Output).Properties["IsRunning"].Value);
        Assert.False(Directory.Exists(data));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        // Stopping again only cleans up.
        Assert.Empty(session.Run("$s | Stop-BatchTriggerLocalStack").Errors);
    }

    [Fact]
    public void KeepData_keeps_the_data_folder_and_the_stack_log()
    {
        using var session = new PowerShellSession();
        var stack = Assert.Single(session.Run("$s = Start-BatchTriggerLocalStack; $s").Output);
        var data = (string)stack.Properties["DataDirectory"].Value;
        try
        {
            session.Run("$s | Stop-BatchTriggerLocalStack -KeepData");
            Assert.True(File.Exists((string)stack.Properties["LogPath"].Value));
            Assert.Contains("listening on", File.ReadAllText((string)stack.Properties["LogPath"].Value));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Start_with_WhatIf_starts_nothing()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Start-BatchTriggerLocalStack -WhatIf");
        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Start_with_a_missing_catalog_fails_with_CatalogNotFound_and_starts_nothing()
    {
        using var session = new PowerShellSession();
        var error = session.Run("Start-BatchTriggerLocalStack -CatalogPath ./no-such-catalog.json").SingleError();
        Assert.StartsWith("BatchPs.CatalogNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void Start_with_a_bad_catalog_reports_the_stack_output()
    {
        using var session = new PowerShellSession();
        var catalog = Path.Combine(Path.GetTempPath(), "batchps-bad-catalog-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(catalog, "{ \"jobs\": [ { \"name\": \"x\" } ] }");
        try
        {
            var error = session.Run($"Start-BatchTriggerLocalStack -CatalogPath '{catalog}'").SingleError();
            Assert.StartsWith("BatchPs.LocalStackStartFailed,", error.FullyQualifiedErrorId);
            Assert.Contains(catalog, error.Exception.Message);
        }
        finally
        {
            File.Delete(catalog);
        }
    }
}
