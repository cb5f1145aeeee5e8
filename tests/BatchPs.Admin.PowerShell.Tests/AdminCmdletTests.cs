using System.Management.Automation;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.PowerShell.Tests;

public sealed class AdminCmdletTests
{
    private static string Deploy(AdminSession s, string extra = "") =>
        $"Deploy-BatchTriggerStack {s.Aws_} -TemplatePath '{s.TemplatePath}' -Parameter @{{ AuthMode = 'ApiKey' }} -Confirm:$false {extra}";

    [Fact]
    public async Task Import_is_warning_free_and_Deploy_is_an_exported_alias_of_Publish()
    {
        await using var s = await AdminSession.StartAsync();

        var alias = s.Run("Get-Command Deploy-BatchTriggerStack");

        Assert.Empty(s.Import.Output); // no import warnings (unapproved verbs would warn)
        var info = Assert.IsType<AliasInfo>(Assert.Single(alias.Output).BaseObject);
        Assert.Equal("Publish-BatchTriggerStack", info.ResolvedCommand.Name);
    }

    [Fact]
    public async Task Deploy_with_EndpointUrl_creates_the_stack_streams_events_and_outputs_it()
    {
        await using var s = await AdminSession.StartAsync();

        var result = s.Run(Deploy(s, "-Verbose"));

        Assert.Empty(result.AllErrors);
        var stack = Assert.Single(result.Output);
        Assert.Equal("CREATE_COMPLETE", stack.Properties["Status"].Value);
        Assert.Equal("https://abc123.execute-api.eu-west-1.amazonaws.com/prod", stack.Properties["Endpoint"].Value);
        Assert.Equal("Created", stack.Properties["DeployOutcome"].Value);
        Assert.Contains(result.Verbose, v => v.Contains("CREATE_COMPLETE", StringComparison.Ordinal) && v.Contains("StreamFunction", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.StartsWith("AWS: credentials from the -AccessKey", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verbose, v => v.Contains(FakeAws.SecretKey, StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains("StreamFunction", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
        Assert.Equal(new[] { "cloudformation CreateChangeSet", "cloudformation ExecuteChangeSet" }, s.Aws.Mutations().Where(m => m.StartsWith("cloudformation", StringComparison.Ordinal)));
        Assert.Empty(s.Aws.SignatureFailures);
    }

    [Fact]
    public async Task Deploy_packages_and_deploys_the_template_shipped_in_the_module()
    {
        await using var s = await AdminSession.StartAsync();

        var result = s.Run($"Deploy-BatchTriggerStack {s.Aws_} -LambdaPackagePath '{s.PackagePath}' -Parameter @{{ CreateSampleBatch = $true; SampleSubnetIds = 'subnet-1', 'subnet-2' }} -Confirm:$false");

        Assert.Empty(result.AllErrors);
        Assert.Equal("Created", Assert.Single(result.Output).Properties["DeployOutcome"].Value);
        var form = s.Aws.CloudFormation.LastChangeSetForm!;
        Assert.Contains("Handler: BatchPs.Lambda::BatchPs.Lambda.Function::HandleAsync", form["TemplateBody"]); // the module's template
        Assert.DoesNotContain("Code: ../artifacts", form["TemplateBody"]);
        Assert.Contains(s.Aws.S3.Objects.Keys, k => k.EndsWith("-trigger.asl.json", StringComparison.Ordinal));
        var parameters = Enumerable.Range(1, 2).ToDictionary(n => form[$"Parameters.member.{n}.ParameterKey"], n => form[$"Parameters.member.{n}.ParameterValue"]);
        Assert.Equal(("true", "subnet-1,subnet-2"), (parameters["CreateSampleBatch"], parameters["SampleSubnetIds"]));
    }

    [Fact]
    public async Task Deploy_again_without_changes_is_success_and_an_update_updates()
    {
        await using var s = await AdminSession.StartAsync();
        s.Run(Deploy(s));

        var same = s.Run(Deploy(s));
        File.WriteAllBytes(s.PackagePath, new byte[] { 0x50, 0x4b, 1 });
        var changed = s.Run(Deploy(s));

        Assert.Empty(same.AllErrors);
        Assert.Equal("NoChanges", Assert.Single(same.Output).Properties["DeployOutcome"].Value);
        Assert.Empty(changed.AllErrors);
        Assert.Equal("Updated", Assert.Single(changed.Output).Properties["DeployOutcome"].Value);
        Assert.Equal("UPDATE_COMPLETE", changed.Output[0].Properties["Status"].Value);
    }

    [Fact]
    public async Task A_rollback_is_a_terminating_error_naming_the_resource_and_reason()
    {
        await using var s = await AdminSession.StartAsync();
        s.Aws.CloudFormation.FailResource = ("TriggerTable", "Table already exists: BatchPs-Triggers");

        var result = s.Run(Deploy(s));

        var error = Assert.Single(result.AllErrors); // statement-terminating
        Assert.StartsWith("BatchPs.StackOperationFailed", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Equal("BatchPs", error.TargetObject);
        Assert.Contains("TriggerTable", error.Exception.Message);
        Assert.Contains("Table already exists", error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task WhatIf_shows_the_changes_and_executes_nothing()
    {
        await using var s = await AdminSession.StartAsync();

        var result = s.Run(Deploy(s, "-WhatIf -Verbose"));

        Assert.Empty(result.AllErrors);
        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains("Add AWS::Lambda::Function StreamFunction", StringComparison.Ordinal));
        Assert.Equal(new[] { "cloudformation CreateChangeSet", "cloudformation DeleteChangeSet", "cloudformation DeleteStack" }, s.Aws.Mutations());
        Assert.False(s.Aws.CloudFormation.ExistsByName("BatchPs"));
    }

    [Fact]
    public async Task Each_failure_has_its_own_error_id_and_category()
    {
        await using var s = await AdminSession.StartAsync();
        var emptyProfiles = Path.Combine(s.Folder, "empty-credentials");
        File.WriteAllText(emptyProfiles, "");

        var badSecret = s.Run($"Get-BatchTriggerStack -EndpointUrl '{s.Aws.Endpoint}' -Region eu-west-1 -AccessKey {FakeAws.AccessKey} -SecretKey wrong");
        var noProfile = s.Run($"Get-BatchTriggerStack -EndpointUrl '{s.Aws.Endpoint}' -Region eu-west-1 -ProfileName missing -ProfileLocation '{emptyProfiles}'");
        var missing = s.Run($"Get-BatchTriggerStack -StackName Nope {s.Aws_}");
        var noTemplate = s.Run($"Deploy-BatchTriggerStack {s.Aws_} -TemplatePath '{Path.Combine(s.Folder, "none.yaml")}' -Confirm:$false");

        Assert.Equal(("BatchPs.Aws.SignatureDoesNotMatch", ErrorCategory.PermissionDenied), Id(Assert.Single(badSecret.AllErrors)));
        Assert.Equal(("BatchPs.AwsCredentials", ErrorCategory.AuthenticationError), Id(Assert.Single(noProfile.AllErrors)));
        Assert.Contains("'missing'", noProfile.AllErrors.Single().Exception.Message);
        var notFound = Assert.Single(missing.AllErrors);
        Assert.Equal(("BatchPs.StackNotFound", ErrorCategory.ObjectNotFound), Id(notFound));
        Assert.Equal("Nope", notFound.TargetObject);
        Assert.Equal(("BatchPs.FileNotFound", ErrorCategory.ObjectNotFound), Id(Assert.Single(noTemplate.AllErrors)));
        Assert.Empty(s.Aws.Mutations());
    }

    [Fact]
    public async Task A_piped_stack_is_removed_after_confirmation_and_then_is_gone()
    {
        await using var s = await AdminSession.StartAsync();
        s.Run(Deploy(s));

        var removed = s.Run($"Get-BatchTriggerStack {s.Aws_} | Remove-BatchTriggerStack -EndpointUrl '{s.Aws.Endpoint}' -AccessKey {FakeAws.AccessKey} -SecretKey '{FakeAws.SecretKey}' -Confirm:$false -PassThru -Verbose");
        var after = s.Run($"Get-BatchTriggerStack {s.Aws_}");

        Assert.Empty(removed.AllErrors);
        Assert.Equal("DELETE_COMPLETE", Assert.Single(removed.Output).Properties["Status"].Value);
        Assert.Contains(removed.Verbose, v => v.Contains("DELETE_COMPLETE", StringComparison.Ordinal));
        Assert.Equal(("BatchPs.StackNotFound", ErrorCategory.ObjectNotFound), Id(Assert.Single(after.AllErrors)));
    }

    [Fact]
    public async Task Jobs_are_registered_listed_and_unregistered_in_the_stacks_catalog_table()
    {
        await using var s = await AdminSession.StartAsync();
        s.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());

        var registered = s.Run($"Register-BatchTriggerJob -Name etl -JobQueue q1 -JobDefinition etl:2 -Parameter @{{ date = $null; mode = 'full' }} -TimeoutSeconds 600 -AllowOverride timeoutSeconds {s.Aws_} -Confirm:$false");
        var again = s.Run($"Register-BatchTriggerJob -Name etl -JobQueue q1 -JobDefinition etl:3 {s.Aws_} -Confirm:$false");
        var invalid = s.Run($"Register-BatchTriggerJob -Name 'bad name' -JobQueue q1 -JobDefinition d {s.Aws_} -Confirm:$false");
        var listed = s.Run($"Get-BatchTriggerJob -StackName BatchPs {s.Aws_}");
        var removed = s.Run($"Get-BatchTriggerJob etl -StackName BatchPs {s.Aws_} | Unregister-BatchTriggerJob {s.Aws_} -Confirm:$false; Get-BatchTriggerJob etl -TableName BatchPs-Catalog {s.Aws_}");

        Assert.Empty(registered.AllErrors);
        Assert.Equal("etl", Assert.Single(registered.Output).Properties["Name"].Value);
        Assert.Equal(("BatchPs.JobAlreadyRegistered", ErrorCategory.ResourceExists), Id(Assert.Single(again.AllErrors)));
        Assert.Equal(("BatchPs.InvalidCatalogEntry", ErrorCategory.InvalidArgument), Id(Assert.Single(invalid.AllErrors)));
        var entry = Assert.Single(listed.Output);
        Assert.Equal("etl:2", entry.Properties["JobDefinition"].Value);
        Assert.Equal(("BatchPs.JobNotRegistered", ErrorCategory.ObjectNotFound), Id(Assert.Single(removed.AllErrors)));
        Assert.Empty(s.Aws.DynamoDb.Tables["BatchPs-Catalog"]);
    }

    [Fact]
    public async Task A_saved_connection_holds_the_stacks_key_without_ever_showing_it()
    {
        await using var s = await AdminSession.StartAsync();
        s.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());
        const string key = "Sup3r-Secret-Api-Key-Value";

        var saved = s.Run($"Get-BatchTriggerStack {s.Aws_} | Save-BatchTriggerConnection prod -EndpointUrl '{s.Aws.Endpoint}' -AccessKey {FakeAws.AccessKey} -SecretKey '{FakeAws.SecretKey}' -PassThru -Verbose");
        var shown = s.Run("$c = Get-BatchTriggerConnection prod; \"$c\"; $c.PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" }; [System.Text.Json.JsonSerializer]::Serialize($c.PSObject.BaseObject)");
        var history = s.Run("Get-History | Out-String");

        Assert.Empty(saved.AllErrors);
        Assert.Equal(true, Assert.Single(saved.Output).Properties["HasApiKey"].Value);
        Assert.DoesNotContain(saved.Verbose, v => v.Contains(key, StringComparison.Ordinal));
        Assert.Contains("abc123.execute-api", string.Join("\n", shown.Output));
        Assert.DoesNotContain(key, string.Join("\n", shown.Output));
        Assert.DoesNotContain(key, string.Join("\n", history.Output));
        Assert.Contains(key, File.ReadAllText(Path.Combine(s.Folder, "connections", "prod.json"))); // readable by its owner only (see SavedConnectionTests)
    }

    [Fact]
    public async Task With_AWSSDK_Core_4_0_3_3_loaded_first_the_module_signs_its_calls_with_its_own_SDK()
    {
        await using var s = await AdminSession.StartAsync($"[void][System.Reflection.Assembly]::LoadFrom('{AdminSession.OlderAwsSdkCore}')");
        s.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());

        var result = s.Run($"Get-BatchTriggerStack {s.Aws_}");
        var sessionSdk = s.Run("[Amazon.Runtime.AWSCredentials].Assembly.Location");

        Assert.Empty(result.AllErrors);
        Assert.Equal("CREATE_COMPLETE", Assert.Single(result.Output).Properties["Status"].Value);
        Assert.Empty(s.Aws.SignatureFailures);
        Assert.Equal(AdminSession.OlderAwsSdkCore, (string)Assert.Single(sessionSdk.Output).BaseObject);
        var moduleSdk = System.Runtime.Loader.AssemblyLoadContext.All
            .SelectMany(c => c.Assemblies.Select(a => (Context: c, Assembly: a)))
            .Single(x => x.Assembly.GetName().Name == "AWSSDK.Core" && x.Context != System.Runtime.Loader.AssemblyLoadContext.Default);
        Assert.StartsWith(Path.GetDirectoryName(AdminSession.ModuleManifest)!, moduleSdk.Assembly.Location);
    }

    private static (string, ErrorCategory) Id(ErrorRecord error) => (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category);
}
