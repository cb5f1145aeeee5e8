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

    /// <summary>The folder the module was loaded from (where the template and Lambda package ship).</summary>
    internal static string ModuleFolder => Path.GetDirectoryName(typeof(AwsCommandBase).Assembly.Location) ?? ".";
}
