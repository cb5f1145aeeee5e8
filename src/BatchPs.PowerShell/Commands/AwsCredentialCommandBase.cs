using System.Management.Automation;
using BatchPs.Admin;
using BatchPs.Admin.Aws;
using BatchPs.Admin.Catalog;
using BatchPs.Admin.Stacks;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// The AWS credential and region parameters, named and looked up as AWS Tools for PowerShell does: parameters,
/// then <c>$StoredAWSCredentials</c> / <c>$StoredAWSRegion</c> (Set-AWSCredential, Set-DefaultAWSRegion), the
/// environment, the default profile, SSO and assume-role profiles, and the container or instance role. Shared
/// by the admin cmdlets and, for stacks with IAM auth, the trigger cmdlets. The engine (BatchPs.Admin and the
/// AWS SDK) is only touched inside methods, so a cmdlet that never asks for AWS loads no AWS assembly.
/// </summary>
public abstract class AwsCredentialCommandBase : BatchPsCmdlet
{
    /// <summary>A profile in the SDK store or the shared credentials/config files (SSO and assume-role profiles included).</summary>
    [Parameter]
    [Alias("StoredCredentials", "AWSProfileName")]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <summary>A shared credentials file to read <c>-ProfileName</c> from.</summary>
    [Parameter]
    [Alias("AWSProfilesLocation", "ProfilesLocation")]
    [ValidateNotNullOrEmpty]
    public string? ProfileLocation { get; set; }

    /// <summary>The AWS region (e.g. eu-west-1). Binds from a piped stack's Region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    /// <summary>An access key id (prefer profiles: literal keys end up in history).</summary>
    [Parameter]
    [Alias("AK")]
    [ValidateNotNullOrEmpty]
    public string? AccessKey { get; set; }

    /// <summary>The secret access key that goes with <c>-AccessKey</c>.</summary>
    [Parameter]
    [Alias("SK")]
    [ValidateNotNullOrEmpty]
    public string? SecretKey { get; set; }

    /// <summary>The session token of temporary keys.</summary>
    [Parameter]
    [Alias("ST", "AWSSessionToken")]
    [ValidateNotNullOrEmpty]
    public string? SessionToken { get; set; }

    /// <summary>An <c>AWSCredentials</c> object (for example from AWS Tools' Get-AWSCredential or New-AWSCredential).</summary>
    [Parameter]
    [ValidateNotNull]
    public PSObject? Credential { get; set; }

    /// <summary>True when any credential parameter (not -Region) was given.</summary>
    protected bool HasCredentialParameters =>
        ProfileName is not null || ProfileLocation is not null || AccessKey is not null || SecretKey is not null
        || SessionToken is not null || Credential is not null;

    /// <summary>The connection options from these parameters and the session's stored AWS settings (no endpoint override).</summary>
    internal AwsConnectionOptions CredentialOptions() => new()
    {
        ProfileName = ProfileName,
        ProfileLocation = ProfileLocation is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProfileLocation),
        Region = Region,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        SessionToken = SessionToken,
        Credential = Credential?.BaseObject,
        StoredCredentials = Unwrap(SessionState.PSVariable.GetValue("StoredAWSCredentials")),
        StoredRegion = Unwrap(SessionState.PSVariable.GetValue("StoredAWSRegion")) as string,
    };

    /// <summary>Runs a plain engine call to completion.</summary>
    internal T Await<T>(Task<T> task) => Run(task);

    /// <summary>Runs a plain engine call that returns nothing to completion.</summary>
    internal static void Await(Task task) => task.GetAwaiter().GetResult();

    /// <summary>The error record for an engine exception: a stable id, the category that fits, the target, the exception kept.</summary>
    internal ErrorRecord ErrorFor(Exception exception, object? target) => exception switch
    {
        OperationCanceledException when StopToken.IsCancellationRequested => throw new PipelineStoppedException(),
        AwsCredentialException => BatchPsErrors.Create(exception, "AwsCredentials", ErrorCategory.AuthenticationError, target),
        AwsRequestException aws when aws.IsAccessDenied => BatchPsErrors.Create(exception, "Aws." + aws.ErrorCode, ErrorCategory.PermissionDenied, target),
        AwsRequestException aws when aws.ErrorCode is "ConnectionFailed" => BatchPsErrors.Create(exception, "Aws.ConnectionFailed", ErrorCategory.ConnectionError, target),
        AwsRequestException aws when aws.ErrorCode is "RequestTimeout" => BatchPsErrors.Create(exception, "Aws.RequestTimeout", ErrorCategory.OperationTimeout, target),
        AwsRequestException aws when aws.ErrorCode is "Throttling" or "ThrottlingException" or "SlowDown" => BatchPsErrors.Create(exception, "Aws." + aws.ErrorCode, ErrorCategory.LimitsExceeded, target),
        AwsRequestException aws when aws.ErrorCode is "ResourceNotFoundException" or "NoSuchBucket" or "NotFoundException" => BatchPsErrors.Create(exception, "Aws." + aws.ErrorCode, ErrorCategory.ObjectNotFound, target),
        AwsRequestException aws => BatchPsErrors.Create(exception, "Aws." + aws.ErrorCode, ErrorCategory.InvalidOperation, target),
        StackOperationException stack when stack.Failure is not null => BatchPsErrors.Create(exception, "StackOperationFailed", ErrorCategory.InvalidResult, stack.StackName),
        StackOperationException stack => BatchPsErrors.Create(exception, "StackNotReady", ErrorCategory.ResourceUnavailable, stack.StackName),
        FileNotFoundException => BatchPsErrors.Create(exception, "FileNotFound", ErrorCategory.ObjectNotFound, target),
        ArgumentException => BatchPsErrors.Create(exception, "InvalidArgument", ErrorCategory.InvalidArgument, target),
        InvalidDataException => BatchPsErrors.Create(exception, "InvalidData", ErrorCategory.InvalidData, target),
        InvalidOperationException => BatchPsErrors.Create(exception, "InvalidOperation", ErrorCategory.InvalidOperation, target),
        _ => BatchPsErrors.Create(exception, "Unexpected", ErrorCategory.NotSpecified, target),
    };

    /// <summary>
    /// Opens the cloud job catalog engine (AWS credentials from these parameters, every AWS call to
    /// <paramref name="endpointUrl"/> when given) and finds the table: <paramref name="tableName"/>, else the catalog
    /// table of <paramref name="stackName"/>. Writes a terminating error when either fails.
    /// </summary>
    internal (JobCatalogAdmin Admin, string Table) OpenCatalog(Uri? endpointUrl, string? tableName, string stackName)
    {
        JobCatalogAdmin? admin = null;
        try
        {
            var options = CredentialOptions();
            options.EndpointUrl = endpointUrl;
            admin = new JobCatalogAdmin(options, RetrySettings.FromEnvironment());
            WriteVerbose("AWS: " + admin.ConnectionDescription);
            var table = Await(admin.ResolveTableAsync(tableName, stackName, StopToken));
            WriteVerbose($"Job catalog table: {table}.");
            return (admin, table);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            admin?.Dispose();
            throw Terminate(ErrorFor(ex, tableName ?? stackName));
        }
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
