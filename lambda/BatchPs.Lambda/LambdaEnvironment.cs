namespace BatchPs.Lambda;

/// <summary>The environment variables the template sets on the functions, and how a function reads one.</summary>
public static class LambdaEnvironment
{
    /// <summary>The trigger table's name (both functions).</summary>
    public const string TriggerTable = "BATCHPS_TRIGGER_TABLE";
    /// <summary>The job catalog table's name (the stream function).</summary>
    public const string CatalogTable = "BATCHPS_CATALOG_TABLE";
    /// <summary>The state machine's ARN (both functions).</summary>
    public const string StateMachineArn = "BATCHPS_STATE_MACHINE_ARN";
    /// <summary>The Batch jobs' CloudWatch log group (the read function).</summary>
    public const string JobLogGroup = "BATCHPS_JOB_LOG_GROUP";

    /// <summary>The value of a variable; throws naming it when it is not set.</summary>
    public static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Environment variable {variable} is not set: the CloudFormation template sets it on the function.");
}
