using System.Collections.Concurrent;
using BatchPs.Admin.Stacks;

namespace BatchPs.Admin.Tests;

/// <summary>Keeps what the engine reported.</summary>
internal sealed class RecordingObserver : IStackObserver
{
    public ConcurrentQueue<StackEventInfo> Events { get; } = new();
    public ConcurrentQueue<string> Messages { get; } = new();

    public void OnEvent(StackEventInfo stackEvent) => Events.Enqueue(stackEvent);

    public void OnMessage(string message) => Messages.Enqueue(message);
}
