using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell.Completion;

/// <summary>
/// Completes a trigger id from the 50 newest triggers of the connection the command would use, newest first, each
/// shown with its job and status. Kept 5 s; quiet when the stack cannot be reached within 3 s.
/// </summary>
public class TriggerIdCompleter : IArgumentCompleter
{
    /// <summary>How many triggers are offered.</summary>
    internal const int Count = 50;

    /// <summary>How long a stack's list is reused.</summary>
    internal static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    /// <summary>The statuses offered (empty: every status).</summary>
    private protected virtual IReadOnlyList<TriggerStatus> Statuses => Array.Empty<TriggerStatus>();

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        using var probe = new ConnectionProbe();
        var client = probe.TryResolve(fakeBoundParameters, commandAst);
        if (client is null) return Array.Empty<CompletionResult>();
        var query = new TriggerListQuery { Limit = Count, Statuses = Statuses.ToList() };
        var triggers = CompletionCache.Get(client, "triggers " + string.Join(",", query.Statuses), MaxAge, Array.Empty<TriggerRecord>(),
            async token => (await client.ListPageAsync(query, cancellationToken: token).ConfigureAwait(false)).Triggers.ToArray());
        var pattern = CompletionText.PatternFor(wordToComplete);
        return triggers.Where(t => pattern.IsMatch(t.TriggerId))
            .Select(t => CompletionText.Value(t.TriggerId, $"{t.TriggerId} ({t.JobName}, {t.Status})",
                string.Format(CultureInfo.InvariantCulture, "Job '{0}', {1}, created {2:yyyy-MM-dd HH:mm:ss zzz}", t.JobName, t.Status, t.CreatedAt.ToLocalTime())))
            .ToList();
    }
}

/// <summary>Completes the id of a trigger that has not ended (what Stop-BatchTrigger and Wait-BatchTrigger take).</summary>
public sealed class UnfinishedTriggerIdCompleter : TriggerIdCompleter
{
    private static readonly TriggerStatus[] Unfinished = Enum.GetValues(typeof(TriggerStatus)).Cast<TriggerStatus>().Where(s => !TriggerStatusOrder.IsFinal(s)).ToArray();

    /// <inheritdoc />
    private protected override IReadOnlyList<TriggerStatus> Statuses => Unfinished;
}
