using System.Collections;
using System.Globalization;
using System.Management.Automation;
using BatchPs.Admin.Stacks;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Creates or updates the BatchPs cloud stack through a CloudFormation change set (alias Deploy-BatchTriggerStack).</para>
/// <para type="description">Uploads the files the template names (the stream Lambda's package, the state machine
/// definition) to S3 as `aws cloudformation package` does, creates a change set from the template shipped in the
/// module, executes it and streams the stack's events as progress and verbose output. A rollback or failure
/// is a terminating error naming the failing resource and CloudFormation's reason; "no changes" is success.
/// -WhatIf shows the change set's changes, executes nothing and deletes the change set.</para>
/// </summary>
[Cmdlet(VerbsData.Publish, "BatchTriggerStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("Deploy-BatchTriggerStack")]
[OutputType("BatchPs.Admin.Stacks.StackInfo")]
public sealed class PublishBatchTriggerStackCommand : AwsCommandBase
{
    /// <summary>The stack name (default BatchPs).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = StackNames.Default;

    /// <summary>The CloudFormation template; default the one shipped in the module (cloudformation/template.yaml).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TemplatePath { get; set; }

    /// <summary>The stream Lambda's zip, instead of the file the template's Code property names.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LambdaPackagePath { get; set; }

    /// <summary>The S3 bucket for the uploaded files; default batchps-artifacts-ACCOUNT-REGION, created once and reused.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ArtifactBucket { get; set; }

    /// <summary>Template parameters, for example @{ CreateSampleBatch = 'true'; SampleSubnetIds = 'subnet-1,subnet-2' }; arrays are joined with commas.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Parameter { get; set; }

    /// <summary>Tags for the stack and its resources.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Tag { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var flag) ? ((SwitchParameter)flag).IsPresent : Equals(GetVariableValue("WhatIfPreference"), true);
        var request = new DeployRequest
        {
            StackName = StackName,
            TemplatePath = ResolveFile(TemplatePath ?? Path.Combine(ModuleFolder, "cloudformation", "template.yaml"), "TemplatePath", TemplatePath is null),
            LambdaPackagePath = LambdaPackagePath is null ? null : ResolveFile(LambdaPackagePath, "LambdaPackagePath", shipped: false),
            ArtifactBucket = ArtifactBucket,
            Parameters = Strings(Parameter, "Parameter"),
            Tags = Strings(Tag, "Tag"),
            WhatIf = whatIf,
        };
        if (!whatIf && !ShouldProcess(StackName, "Create or update the BatchPs stack")) return;

        try
        {
            using var admin = CreateStackAdmin();
            var result = RunWithStackEvents($"Deploying stack {StackName}", (observer, token) => admin.DeployAsync(request, observer, token));
            switch (result.Outcome)
            {
                case DeployOutcome.WhatIf:
                    foreach (var change in result.Changes)
                    {
                        WriteVerbose("What if: " + change);
                        ShouldProcess($"{change.ResourceType} {change.LogicalResourceId}" + (change.Replacement is "True" or "Conditional" ? $" (replacement: {change.Replacement})" : ""), change.Action);
                    }
                    if (result.Changes.Count == 0) ShouldProcess(StackName, "No changes");
                    return;
                case DeployOutcome.NoChanges:
                    WriteVerbose($"Stack {StackName} already matches the template and parameters.");
                    break;
            }
            var output = PSObject.AsPSObject(result.Stack);
            output.Properties.Add(new PSNoteProperty("DeployOutcome", result.Outcome.ToString()));
            WriteObject(output);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(ErrorFor(ex, StackName));
        }
    }

    private string ResolveFile(string given, string parameter, bool shipped)
    {
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given);
        if (File.Exists(path)) return path;
        var fix = shipped ? $"the module ships none at {path}; pass -{parameter}" : "check the path";
        throw Terminate(BatchPsErrors.Create(new FileNotFoundException($"-{parameter}: '{path}' does not exist ({fix}).", path), "FileNotFound", ErrorCategory.ObjectNotFound, path));
    }

    private Dictionary<string, string> Strings(Hashtable? table, string parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table ?? new Hashtable())
        {
            var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            result[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = value switch
            {
                null => throw Terminate(BatchPsErrors.Create(new PSArgumentException($"-{parameter} '{entry.Key}' has no value; give a string."), "InvalidArgument", ErrorCategory.InvalidArgument, entry.Key)),
                IEnumerable list and not string => string.Join(",", list.Cast<object>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))),
                bool b => b ? "true" : "false",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
        }
        return result;
    }
}
