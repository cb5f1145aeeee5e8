using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using BatchPs.Core.Client;
using BatchPs.PowerShell.Commands;

namespace BatchPs.PowerShell.Completion;

/// <summary>
/// Resolves the connection a command being typed would use, for its tab completers: the same rules as the
/// command itself (<see cref="BatchTriggerCommandBase"/>: -Endpoint, -ApiKey, -Auth and the AWS credential
/// parameters already on the line, then the runspace's last key, the environment, the saved connection), and,
/// for a command that takes pipeline input (<c>$stack | Send-BatchTrigger -JobName &lt;Tab&gt;</c>: its endpoint comes
/// from the pipeline, which completion cannot see) when none of those names an endpoint, the one local stack this
/// session started (else the one this user runs). It remembers nothing: the command has not run.
/// </summary>
internal sealed class ConnectionProbe : BatchTriggerCommandBase
{
    private static readonly PropertyInfo[] Parameters = typeof(ConnectionProbe).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.GetCustomAttributes(typeof(ParameterAttribute), true).Length > 0)
        .ToArray();

    private protected override bool RemembersAuth => false;

    /// <summary>
    /// The client for the parameters already on the command line, or null when no connection can be resolved
    /// (completion stays quiet). The probe owns IAM clients: use the client before disposing the probe.
    /// </summary>
    public BatchTriggerClient? TryResolve(IDictionary? boundParameters, CommandAst? command)
    {
        try
        {
            Bind(boundParameters);
            if (Endpoint is null && IsPipedInto(command) && !HasEndpointElsewhere() && SingleLocalStack() is { } local)
            {
                Endpoint = local.Endpoint;
                ApiKey ??= local.ApiKey;
            }
            return ResolveClient();
        }
#pragma warning disable CA1031 // A completer is quiet on every failure: no endpoint, no key, an unreadable saved connection.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private void Bind(IDictionary? boundParameters)
    {
        if (boundParameters is null) return;
        foreach (DictionaryEntry entry in boundParameters)
        {
            if (entry.Key is not string name) continue;
            var property = Parameters.FirstOrDefault(p => Names(p).Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)));
            if (property is null || entry.Value is null) continue;
            try
            {
                var value = entry.Value is PSObject wrapped && property.PropertyType != typeof(PSObject) ? wrapped.BaseObject : entry.Value;
                foreach (ArgumentTransformationAttribute transform in property.GetCustomAttributes(typeof(ArgumentTransformationAttribute), true))
                    value = transform.Transform(null!, value);
                property.SetValue(this, LanguagePrimitives.ConvertTo(value, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is PSInvalidCastException or ArgumentException or TargetInvocationException)
            {
                // A value completion cannot use (a typo, an expression not yet evaluated): the command will say what is wrong.
            }
        }
    }

    private static bool IsPipedInto(CommandAst? command) =>
        command?.Parent is PipelineAst pipeline && pipeline.PipelineElements.IndexOf(command) > 0;

    private static IEnumerable<string> Names(PropertyInfo property) =>
        new[] { property.Name }.Concat(property.GetCustomAttributes(typeof(AliasAttribute), true).Cast<AliasAttribute>().SelectMany(a => a.AliasNames));

    private static bool HasEndpointElsewhere() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionVariable))
        || new Core.Connections.SavedConnectionStore().Find(Core.Connections.SavedConnectionStore.DefaultName) is not null;

    /// <summary>The one running local stack this process started, else the one this user runs; null when that is not one.</summary>
    private static LocalStackInstance? SingleLocalStack()
    {
        var running = LocalStackRegistry.List().Where(s => s.IsRunning).ToList();
        var mine = running.Where(LocalStackLauncher.StartedByThisProcess).ToList();
        var candidates = mine.Count > 0 ? mine : running;
        return candidates.Count == 1 ? candidates[0] : null;
    }
}
