using System.Management.Automation;

/// <summary>What one script produced.</summary>
internal sealed record ScriptOutput(List<PSObject> Output, List<ErrorRecord> Errors);
