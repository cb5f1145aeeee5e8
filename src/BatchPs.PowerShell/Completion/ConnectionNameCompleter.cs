using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchPs.Core.Connections;

namespace BatchPs.PowerShell.Completion;

/// <summary>Completes the name of a saved connection (Save-BatchTriggerConnection), with its endpoint as the tooltip.</summary>
public sealed class ConnectionNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<SavedConnection> saved;
        try
        {
            saved = new SavedConnectionStore().List();
        }
#pragma warning disable CA1031 // Completion is quiet on failure: a folder that cannot be read is reported by the cmdlet itself.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Array.Empty<CompletionResult>();
        }
        var pattern = CompletionText.PatternFor(wordToComplete);
        return saved.Where(c => pattern.IsMatch(c.Name))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => CompletionText.Value(c.Name, c.Name, $"{c.Endpoint} ({c.AuthMode})"))
            .ToList();
    }
}
