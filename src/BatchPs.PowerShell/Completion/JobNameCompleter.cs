using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchPs.Core.Api;

namespace BatchPs.PowerShell.Completion;

/// <summary>
/// Completes a job name from <c>GET /jobs</c> of the connection the command would use (kept a minute), with the
/// job's description and parameters as the tooltip. Quiet when the stack cannot be reached within 3 s.
/// </summary>
public sealed class JobNameCompleter : IArgumentCompleter
{
    /// <summary>How long a stack's job list is reused.</summary>
    internal static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        using var probe = new ConnectionProbe();
        var client = probe.TryResolve(fakeBoundParameters, commandAst);
        if (client is null) return Array.Empty<CompletionResult>();
        var jobs = CompletionCache.Get(client, "jobs", MaxAge, Array.Empty<JobSummary>(),
            async token => (await client.GetJobsAsync(token).ConfigureAwait(false)).ToArray());
        var pattern = CompletionText.PatternFor(wordToComplete);
        return jobs.Where(j => pattern.IsMatch(j.Name))
            .OrderBy(j => j.Name, StringComparer.OrdinalIgnoreCase)
            .Select(j => CompletionText.Value(j.Name, j.Name, ToolTip(j)))
            .ToList();
    }

    private static string ToolTip(JobSummary job)
    {
        var parameters = job.Parameters.Count == 0
            ? "no parameters"
            : "parameters: " + string.Join(", ", job.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Value is null ? p.Key + " (required)" : string.Format(CultureInfo.InvariantCulture, "{0}={1}", p.Key, p.Value)));
        return string.IsNullOrWhiteSpace(job.Description) ? parameters : job.Description + " (" + parameters + ")";
    }
}
