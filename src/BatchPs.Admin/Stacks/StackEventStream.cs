using BatchPs.Admin.Aws.CloudFormation;

namespace BatchPs.Admin.Stacks;

/// <summary>
/// Follows a stack operation: polls DescribeStacks and DescribeStackEvents, hands each new event to the
/// observer oldest first, and returns when the stack leaves its <c>_IN_PROGRESS</c> status. Remembers
/// the first resource failure, so a rollback can be reported by the resource that caused it.
/// </summary>
internal sealed class StackEventStream
{
    private const int MaxPagesPerPoll = 20;
    private readonly ICloudFormation _cloudFormation;
    private readonly IStackObserver _observer;
    private readonly TimeSpan _pollInterval;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public StackEventStream(ICloudFormation cloudFormation, IStackObserver observer, TimeSpan pollInterval)
    {
        _cloudFormation = cloudFormation;
        _observer = observer;
        _pollInterval = pollInterval;
    }

    /// <summary>The first resource failure seen, if any.</summary>
    public StackEventInfo? FirstFailure { get; private set; }

    /// <summary>Marks the stack's existing events as seen, so only the coming operation's events are streamed.</summary>
    public async Task StartAsync(string stackId, CancellationToken cancellationToken)
    {
        var (events, _) = await _cloudFormation.DescribeStackEventsAsync(stackId, null, cancellationToken).ConfigureAwait(false);
        foreach (var stackEvent in events) _seen.Add(stackEvent.EventId);
    }

    /// <summary>Streams events until the stack is no longer in progress; returns its final description (null once deleted).</summary>
    public async Task<StackInfo?> WaitAsync(string stackId, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Status first, events second: every event up to the final status is streamed before returning.
            var stack = await _cloudFormation.DescribeStackAsync(stackId, cancellationToken).ConfigureAwait(false);
            await PollEventsAsync(stackId, cancellationToken).ConfigureAwait(false);
            if (stack is null || !stack.InProgress) return stack;
            await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollEventsAsync(string stackId, CancellationToken cancellationToken)
    {
        var fresh = new List<StackEventInfo>();
        string? token = null;
        for (var page = 0; page < MaxPagesPerPoll; page++)
        {
            var (events, next) = await _cloudFormation.DescribeStackEventsAsync(stackId, token, cancellationToken).ConfigureAwait(false);
            var reachedSeen = false;
            foreach (var stackEvent in events)
            {
                if (_seen.Contains(stackEvent.EventId)) { reachedSeen = true; break; }
                fresh.Add(stackEvent);
            }
            if (reachedSeen || string.IsNullOrEmpty(next)) break;
            token = next;
        }
        fresh.Reverse(); // the API answers newest first
        foreach (var stackEvent in fresh)
        {
            _seen.Add(stackEvent.EventId);
            if (FirstFailure is null && stackEvent.IsRootFailure) FirstFailure = stackEvent;
            _observer.OnEvent(stackEvent);
        }
    }
}
