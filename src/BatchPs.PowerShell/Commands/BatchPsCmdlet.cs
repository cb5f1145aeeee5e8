using System.Collections.Concurrent;
using System.Management.Automation;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// The base of every BatchPs cmdlet: a cancellation token that <see cref="StopProcessing"/> (Ctrl+C)
/// cancels, and a way to run the core's async calls on the pipeline thread while what they report from other
/// threads (retries) is written by the pipeline thread, the only one that may write.
/// </summary>
public abstract class BatchPsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private BlockingCollection<Action>? _posted;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Cancels whatever the cmdlet waits for.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Runs an async core call to completion on the pipeline thread (which has no synchronization context), doing
    /// what <see cref="Post"/> queued meanwhile.
    /// </summary>
    protected T Run<T>(Task<T> task)
    {
        if (!task.IsCompleted)
        {
            using var posted = new BlockingCollection<Action>();
            _posted = posted;
            task.ContinueWith(_ => posted.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                foreach (var action in posted.GetConsumingEnumerable()) action();
            }
            finally
            {
                _posted = null;
            }
        }
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Queues an action (writing a verbose line, a warning) for the pipeline thread, from any thread, while <see cref="Run"/> waits.</summary>
    protected void Post(Action action)
    {
        try
        {
            _posted?.Add(action);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The call ended meanwhile: nothing waits to write it.
        }
    }

    /// <summary>
    /// ShouldProcess, except that <paramref name="force"/> skips the confirmation prompt; -WhatIf (or
    /// $WhatIfPreference) still only says what would be done.
    /// </summary>
    protected bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)
            ? bound is SwitchParameter s && s.IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        return force && !whatIf ? true : ShouldProcess(target, action);
    }

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
