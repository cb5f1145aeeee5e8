namespace BatchPs.Admin.Stacks;

/// <summary>What to deploy: the template, the Lambda package and the template's parameters.</summary>
public sealed class DeployRequest
{
    /// <summary>The template parameter that receives the Lambda package's S3 bucket.</summary>
    public const string LambdaCodeBucketParameter = "LambdaCodeBucket";
    /// <summary>The template parameter that receives the Lambda package's S3 key.</summary>
    public const string LambdaCodeKeyParameter = "LambdaCodeKey";
    /// <summary>CloudFormation's limit for an inline template body; larger templates go through S3.</summary>
    public const int MaxTemplateBodyBytes = 51_200;

    /// <summary>The stack name.</summary>
    public string StackName { get; set; } = "";
    /// <summary>The template file (YAML or JSON).</summary>
    public string TemplatePath { get; set; } = "";
    /// <summary>The stream Lambda's deployment zip; null when the template needs none.</summary>
    public string? LambdaPackagePath { get; set; }
    /// <summary>The S3 bucket for the Lambda package; null: one the engine creates and reuses per account and region.</summary>
    public string? ArtifactBucket { get; set; }
    /// <summary>Template parameters (the Lambda code location is added by the engine).</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Tags put on the stack (CloudFormation passes them to the resources).</summary>
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Describe the change set's changes, execute nothing, delete the change set.</summary>
    public bool WhatIf { get; set; }
}
