namespace BatchPs.Admin.Stacks;

/// <summary>A deployed BatchPs stack: its status and the outputs a caller or admin needs.</summary>
public sealed class StackInfo
{
    /// <summary>The stack name.</summary>
    public string StackName { get; set; } = "";
    /// <summary>The stack id (ARN).</summary>
    public string StackId { get; set; } = "";
    /// <summary>The CloudFormation status (e.g. <c>CREATE_COMPLETE</c>).</summary>
    public string Status { get; set; } = "";
    /// <summary>Why the stack is in that status, when CloudFormation says.</summary>
    public string? StatusReason { get; set; }
    /// <summary>When the stack was created (UTC).</summary>
    public DateTime? CreationTime { get; set; }
    /// <summary>When the stack was last updated (UTC).</summary>
    public DateTime? LastUpdatedTime { get; set; }
    /// <summary>The region the stack lives in.</summary>
    public string Region { get; set; } = "";
    /// <summary>Every stack output, by output key.</summary>
    public Dictionary<string, string> Outputs { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The stack's parameters, by key (NoEcho values come back masked by CloudFormation).</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The trigger API's base URL (output <c>ApiEndpoint</c>).</summary>
    public string? Endpoint => Output(StackOutputNames.ApiEndpoint);
    /// <summary>The API key's id (output <c>ApiKeyId</c>); the key's value is never an output.</summary>
    public string? ApiKeyId => Output(StackOutputNames.ApiKeyId);
    /// <summary>How callers authenticate (output <c>AuthMode</c>: <c>ApiKey</c> or <c>IAM</c>); null for a stack without that output.</summary>
    public string? AuthMode => Output(StackOutputNames.AuthMode);
    /// <summary>The trigger table (output <c>TriggerTableName</c>).</summary>
    public string? TableName => Output(StackOutputNames.TriggerTableName);
    /// <summary>The job catalog table (output <c>CatalogTableName</c>).</summary>
    public string? CatalogTableName => Output(StackOutputNames.CatalogTableName);
    /// <summary>The state machine (output <c>StateMachineArn</c>).</summary>
    public string? StateMachineArn => Output(StackOutputNames.StateMachineArn);
    /// <summary>The stream Lambda's dead-letter queue (output <c>DeadLetterQueueUrl</c>).</summary>
    public string? DeadLetterQueueUrl => Output(StackOutputNames.DeadLetterQueueUrl);

    /// <summary>True while CloudFormation is working on the stack.</summary>
    public bool InProgress => Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);

    private string? Output(string key) => Outputs.TryGetValue(key, out var value) ? value : null;
}
