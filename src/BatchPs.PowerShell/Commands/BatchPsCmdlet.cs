using System.Management.Automation;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// The base of every BatchPs cmdlet: a cancellation token that <see cref="StopProcessing"/> (Ctrl+C)
/// cancels, and a way to run the core's async calls on the pipeline thread.
/// </summary>
public abstract class BatchPsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Cancels whatever the cmdlet waits for.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs an async core call to completion on the pipeline thread (which has no synchronization context).</summary>
    protected static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>Stops the cmdlet with a terminating error; returns only to satisfy <c>throw</c> at the call site.</summary>
    protected Exception Terminate(ErrorRecord errorRecord)
    {
        ThrowTerminatingError(errorRecord);
        return errorRecord.Exception;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the cmdlet holds; overrides call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _stopping.Dispose();
    }
}
