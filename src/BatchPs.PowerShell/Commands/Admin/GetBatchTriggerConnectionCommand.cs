using System.Management.Automation;
using BatchPs.Core.Connections;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Lists the current user's saved connections (endpoints; keys are never shown).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "BatchTriggerConnection")]
[OutputType(typeof(SavedConnection))]
public sealed class GetBatchTriggerConnectionCommand : BatchPsCmdlet
{
    /// <summary>Connection names; wildcards allowed (default: all).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = new SavedConnectionStore();
        IReadOnlyList<SavedConnection> all;
        try
        {
            all = store.List();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw Terminate(BatchPsErrors.Create(ex, "ConnectionUnreadable", ErrorCategory.ReadError, store.Folder));
        }
        foreach (var name in Name ?? new[] { "*" })
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(c => pattern.IsMatch(c.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                WriteError(BatchPsErrors.Create(new ItemNotFoundException($"No saved connection '{name}' in {store.Folder}. Save one with Save-BatchTriggerConnection."), "ConnectionNotFound", ErrorCategory.ObjectNotFound, name));
            foreach (var connection in matches) WriteObject(connection);
        }
    }
}
