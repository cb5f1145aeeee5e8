using System.Collections.Concurrent;
using System.Management.Automation;
using BatchPs.Admin.Stacks;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// Turns the engine's stack events into progress records and verbose lines. The engine calls it on its own
/// thread; it queues the writes, which <see cref="AwsCommandBase.RunWithStackEvents{T}"/> runs on the
/// pipeline thread (the only thread allowed to write).
/// </summary>
internal sealed class StackProgressObserver : IStackObserver
{
    private const int ActivityId = 4711;
    private readonly Cmdlet _cmdlet;
    private readonly BlockingCollection<Action> _queue;
    private readonly string _activity;
    private bool _started;

    public StackProgressObserver(Cmdlet cmdlet, BlockingCollection<Action> queue, string activity)
    {
        _cmdlet = cmdlet;
        _queue = queue;
        _activity = activity;
    }

    public void OnEvent(StackEventInfo stackEvent) => Post(() =>
    {
        _started = true;
        _cmdlet.WriteVerbose(stackEvent.ToString());
        _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, $"{stackEvent.ResourceStatus} {stackEvent.LogicalResourceId}")
        {
            CurrentOperation = string.IsNullOrEmpty(stackEvent.ResourceStatusReason) ? stackEvent.ResourceType : stackEvent.ResourceStatusReason,
        });
    });

    public void OnMessage(string message) => Post(() =>
    {
        _started = true;
        _cmdlet.WriteVerbose(message);
        _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, message));
    });

    /// <summary>Completes the progress bar (on the pipeline thread, after the queue is drained).</summary>
    public void Complete()
    {
        if (_started)
            _cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void Post(Action write)
    {
        try
        {
            _queue.Add(write);
        }
        catch (InvalidOperationException)
        {
            // The cmdlet stopped listening (Ctrl+C): nothing more is shown.
        }
    }
}
