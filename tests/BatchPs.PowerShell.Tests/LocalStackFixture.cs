using System.Management.Automation;

namespace BatchPs.PowerShell.Tests;

/// <summary>One real local stack, started with Start-BatchTriggerLocalStack in a hosted session, shared by a test class.</summary>
public sealed class LocalStackFixture : IDisposable
{
    public LocalStackFixture()
    {
        Session = new PowerShellSession();
        var result = Session.Run("$stack = Start-BatchTriggerLocalStack; $stack");
        if (result.Errors.Count > 0 || result.Terminating is not null || result.Output.Count != 1)
            throw new InvalidOperationException("Start-BatchTriggerLocalStack failed: " + result);
        Stack = result.Output[0];
    }

    public PowerShellSession Session { get; }

    /// <summary>The object Start-BatchTriggerLocalStack returned (also in the session as <c>$stack</c>).</summary>
    public PSObject Stack { get; }

    public void Dispose()
    {
        Session.Run("$stack | Stop-BatchTriggerLocalStack");
        Session.Dispose();
    }
}
