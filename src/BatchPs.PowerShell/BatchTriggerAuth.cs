namespace BatchPs.PowerShell;

/// <summary>How the trigger cmdlets authenticate to the trigger API (the stack's <c>AuthMode</c>).</summary>
public enum BatchTriggerAuth
{
    /// <summary>The <c>x-api-key</c> header (the local stack, and cloud stacks deployed with <c>AuthMode=ApiKey</c>).</summary>
    ApiKey,

    /// <summary>SigV4-signed requests (service <c>execute-api</c>) with AWS credentials: cloud stacks deployed with <c>AuthMode=IAM</c>.</summary>
    Iam,
}
