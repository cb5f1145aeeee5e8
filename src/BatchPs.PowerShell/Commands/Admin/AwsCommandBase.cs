using System.Collections.Concurrent;
using System.Management.Automation;
using BatchPs.Admin;
using BatchPs.Admin.Aws;
using BatchPs.Admin.Catalog;
using BatchPs.Admin.Stacks;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// The admin cmdlets' base: the AWS credential and region parameters (<see cref="AwsCredentialCommandBase"/>),
/// <c>-EndpointUrl</c>, and the engine's stack and catalog front doors. The engine (BatchPs.Admin and the AWS
/// SDK) is only touched inside methods, so importing the module or running the on-prem cmdlets loads no AWS assembly.
/// </summary>
public abstract class AwsCommandBase : AwsCredentialCommandBase
{
    /// <summary>Sends every AWS call to this URL (a VPC endpoint, LocalStack, a test server).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? EndpointUrl { get; set; }

    /// <summary>The connection options from the parameters (-EndpointUrl included) and the session's stored AWS settings.</summary>
    internal AwsConnectionOptions ConnectionOptions()
    {
        var options = CredentialOptions();
        options.EndpointUrl = EndpointUrl;
        return options;
    }

    /// <summary>The stack engine for these parameters; writes where credentials and region came from as verbose output.</summary>
    internal StackAdmin CreateStackAdmin()
    {
        var admin = new StackAdmin(ConnectionOptions(), RetrySettings.FromEnvironment());
        WriteVerbose("AWS: " + admin.ConnectionDescription);
        return admin;
    }

    /// <summary>The catalog engine for these parameters.</summary>
    internal JobCatalogAdmin CreateCatalogAdmin()
    {
        var admin = new JobCatalogAdmin(ConnectionOptions(), RetrySettings.FromEnvironment());
        WriteVerbose("AWS: " + admin.ConnectionDescription);
        return admin;
    }

    /// <summary>
    /// Runs an engine call that reports stack events: the events become verbose lines and progress records
    /// on the pipeline thread while the call runs; the progress is completed at the end.
    /// </summary>
    internal T RunWithStackEvents<T>(string activity, Func<IStackObserver, CancellationToken, Task<T>> work)
    {
        using var queue = new BlockingCollection<Action>();
        var observer = new StackProgressObserver(this, queue, activity);
        var task = Task.Run(() => work(observer, StopToken));
        task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (var action in queue.GetConsumingEnumerable()) action();
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            observer.Complete();
        }
    }

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

    /// <summary>The folder the module was loaded from (where the template and Lambda package ship).</summary>
    internal static string ModuleFolder => Path.GetDirectoryName(typeof(AwsCommandBase).Assembly.Location) ?? ".";
}
