using System.Management.Automation;

namespace BatchPs.PowerShell.Tests;

public sealed class ModuleImportTests
{
    private static readonly string[] Cmdlets =
    {
        "Send-BatchTrigger", "Get-BatchTriggerStatus", "Get-BatchTriggerHistory", "Wait-BatchTrigger", "Start-BatchTriggerLocalStack", "Stop-BatchTriggerLocalStack", "Get-BatchTriggerLocalStack",
        "Publish-BatchTriggerStack", "Get-BatchTriggerStack", "Remove-BatchTriggerStack",
        "Register-BatchTriggerJob", "Get-BatchTriggerJob", "Unregister-BatchTriggerJob",
        "Save-BatchTriggerConnection", "Get-BatchTriggerConnection", "Remove-BatchTriggerConnection",
        "Stop-BatchTrigger", "Get-BatchTrigger", "Get-BatchTriggerLog",
    };

    [Fact]
    public void Import_writes_no_warnings_and_exports_exactly_the_cmdlets()
    {
        using var session = new PowerShellSession();
        Assert.Empty(session.ImportResult.Warnings);
        var module = (PSModuleInfo)Assert.Single(session.ImportResult.Output).BaseObject;
        Assert.Equal("BatchPs", module.Name);
        Assert.Equal(new Version(0, 1, 0), module.Version);
        Assert.Equal(Cmdlets.OrderBy(c => c), module.ExportedCmdlets.Keys.OrderBy(c => c));
        Assert.Contains("Desktop", module.CompatiblePSEditions);
        Assert.Contains("Core", module.CompatiblePSEditions);
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        using var session = new PowerShellSession();
        foreach (var name in Cmdlets)
        {
            var result = session.Run($"(Get-Command {name}).OutputType.Name");
            Assert.NotEmpty(result.Output);
        }
        Assert.Equal("BatchPs.Core.Triggers.TriggerRecord", session.Run("(Get-Command Send-BatchTrigger).OutputType.Name").Output.Single().ToString());
        Assert.Equal("BatchPs.Core.Client.LocalStackInstance", session.Run("(Get-Command Start-BatchTriggerLocalStack).OutputType.Name").Output.Single().ToString());
    }

    [Fact]
    public void Every_cmdlet_has_help_with_a_synopsis_and_examples()
    {
        using var session = new PowerShellSession();
        foreach (var name in Cmdlets)
        {
            var result = session.Run($"Get-Help {name} -Full");
            var help = Assert.Single(result.Output);
            Assert.False(string.IsNullOrWhiteSpace(help.Properties["Synopsis"]?.Value?.ToString()), name + " has no synopsis");
            Assert.DoesNotContain("[<CommonParameters>]", help.Properties["Synopsis"]!.Value!.ToString()); // the auto-generated stub
            var examples = session.Run($"@((Get-Help {name} -Examples).examples.example).Count");
            Assert.True((int)examples.Output.Single().BaseObject >= 2, name + " has fewer than two examples");
        }
    }

    [Fact]
    public void The_about_topic_is_reachable_with_Get_Help()
    {
        using var session = new PowerShellSession();
        var text = string.Join("\n", session.Run("Get-Help about_BatchPs").Output.Select(o => o.ToString()));
        Assert.Contains("IDEMPOTENCY", text);
        Assert.Contains("Start-BatchTriggerLocalStack", text);
    }

    [Fact]
    public void Every_output_type_has_a_table_view()
    {
        using var session = new PowerShellSession();
        var formatFile = Assert.Single(session.Run("(Get-Module BatchPs).ExportedFormatFiles").Output).ToString();
        var views = System.Xml.Linq.XDocument.Load(formatFile).Descendants("View")
            .Where(v => v.Element("TableControl") is not null)
            .Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value)
            .ToList();
        foreach (var name in Cmdlets)
        {
            foreach (var type in session.Run($"(Get-Command {name}).OutputType.Name").Output.Select(o => o.ToString()))
                Assert.Contains(type, views);
        }
    }

    [Fact]
    public void Help_documents_exactly_the_parameters_each_cmdlet_has()
    {
        using var session = new PowerShellSession();
        foreach (var name in Cmdlets)
        {
            var actual = session.Run($"(Get-Command {name}).Parameters.Keys | Where-Object {{ $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }}")
                .Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
            var documented = session.Run($"(Get-Help {name}).parameters.parameter.name").Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
            Assert.Equal(actual, documented);
        }
    }
}
