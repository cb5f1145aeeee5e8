namespace BatchPs.Admin.Stacks;

/// <summary>What to deploy: the template, the Lambda package and the template's parameters.</summary>
public sealed class DeployRequest
{
    /// <summary>CloudFormation's limit for an inline template body; larger templates go through S3.</summary>
    public const int MaxTemplateBodyBytes = 51_200;

    /// <summary>The stack name.</summary>
    public string StackName { get; set; } = "";
    /// <summary>
    /// The YAML template. Local paths in a Lambda function's <c>Code</c> and a state machine's
    /// <c>DefinitionS3Location</c> (relative to the template, as <c>aws cloudformation package</c> reads them)
    /// are uploaded and replaced with their S3 locations.
    /// </summary>
    public string TemplatePath { get; set; } = "";
    /// <summary>The stream Lambda's deployment zip, instead of the file the template's <c>Code</c> names.</summary>
    public string? LambdaPackagePath { get; set; }
    /// <summary>The S3 bucket for the uploaded files; null: one the engine creates and reuses per account and region.</summary>
    public string? ArtifactBucket { get; set; }
    /// <summary>Template parameters.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Tags put on the stack (CloudFormation passes them to the resources).</summary>
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Describe the change set's changes, execute nothing, delete the change set.</summary>
    public bool WhatIf { get; set; }
}
