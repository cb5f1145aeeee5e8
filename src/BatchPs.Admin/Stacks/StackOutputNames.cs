namespace BatchPs.Admin.Stacks;

/// <summary>The output keys of cloudformation/template.yaml the admin cmdlets read.</summary>
public static class StackOutputNames
{
    /// <summary>The trigger API's base URL.</summary>
    public const string ApiEndpoint = "ApiEndpoint";
    /// <summary>The API key's id.</summary>
    public const string ApiKeyId = "ApiKeyId";
    /// <summary>ApiKey or IAM: how callers authenticate.</summary>
    public const string AuthMode = "AuthMode";
    /// <summary>The trigger table's name.</summary>
    public const string TriggerTableName = "TriggerTableName";
    /// <summary>The job catalog table's name.</summary>
    public const string CatalogTableName = "CatalogTableName";
    /// <summary>The state machine's ARN.</summary>
    public const string StateMachineArn = "StateMachineArn";
    /// <summary>The dead-letter queue's URL.</summary>
    public const string DeadLetterQueueUrl = "DeadLetterQueueUrl";
}
