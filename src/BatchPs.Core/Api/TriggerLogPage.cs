namespace BatchPs.Core.Api;

/// <summary>
/// The body of <c>GET /triggers/{id}/log</c>: <c>{"triggerId", "attempt", "attempts", "logLocation", "events":
/// [{"timestamp", "message"}], "nextToken"}</c>. Before the job has a log (RECEIVED..RUNNABLE) <see cref="Attempt"/> and
/// <see cref="Attempts"/> are 0, no events, <see cref="NextToken"/> null. <see cref="NextToken"/> is null once the
/// attempt has ended and the page reached its end; while the attempt can still write, it is given even when the page
/// is empty, so a follower polls with it.
/// </summary>
public sealed class TriggerLogPage
{
    /// <summary>The trigger.</summary>
    public string TriggerId { get; set; } = "";
    /// <summary>The attempt these lines are from (1-based; 0 when there is none yet).</summary>
    public int Attempt { get; set; }
    /// <summary>How many attempts have a log so far.</summary>
    public int Attempts { get; set; }
    /// <summary>Where the attempt's log is (a local file path, a CloudWatch log stream); null when there is none yet.</summary>
    public string? LogLocation { get; set; }
    /// <summary>The lines, oldest first.</summary>
    public List<TriggerLogEvent> Events { get; set; } = new();
    /// <summary>Pass it back to continue; null at the end of a log that will not grow.</summary>
    public string? NextToken { get; set; }
}
