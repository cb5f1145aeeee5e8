namespace BatchPs.Admin.Stacks;

/// <summary>
/// Receives what a stack operation does while it runs: each new stack event (oldest first) and
/// progress lines. The cmdlets turn them into progress records and verbose output. Calls arrive on
/// the engine's thread; an implementation hands them to the pipeline thread.
/// </summary>
public interface IStackObserver
{
    /// <summary>A new stack event.</summary>
    void OnEvent(StackEventInfo stackEvent);
    /// <summary>A progress line (never containing a secret).</summary>
    void OnMessage(string message);
}
