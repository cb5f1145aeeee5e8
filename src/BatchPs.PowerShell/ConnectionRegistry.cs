using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BatchPs.Core.Client;

namespace BatchPs.PowerShell;

/// <summary>
/// The session's connections: one <see cref="BatchTriggerClient"/> (one HttpClient, one connection pool)
/// per endpoint and API key, reused by every cmdlet call. It also remembers, per runspace, the last key
/// given explicitly (<c>-ApiKey</c>, or piped in) for each endpoint, so
/// <c>Send-BatchTrigger -Endpoint $e -ApiKey $k | Wait-BatchTrigger</c> needs the key only once, and another
/// runspace of the same process never picks it up. Keys from the environment or a saved connection are read
/// afresh by every call, never remembered, and a key the server refused (403) is forgotten, so what is
/// remembered always follows its inputs. For IAM auth it
/// remembers the AWS connection options instead, so <c>Send-BatchTrigger -ProfileName p | Wait-BatchTrigger</c>
/// signs both calls as <c>p</c>. Clients are indexed by the key's SHA-256, never by the plain key.
/// </summary>
internal static class ConnectionRegistry
{
    private static readonly ConcurrentDictionary<string, BatchTriggerClient> Clients = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, object> LastAuthByEndpoint = new(StringComparer.Ordinal);

    /// <summary>The client for an endpoint and key, created on first use.</summary>
    public static BatchTriggerClient Get(Uri endpoint, string apiKey) =>
        Clients.GetOrAdd(Normalize(endpoint) + " " + Hash(apiKey), _ => new BatchTriggerClient(new BatchTriggerClientOptions(endpoint, apiKey)));

    /// <summary>Remembers a key given explicitly for the runspace's later calls to <paramref name="endpoint"/>.</summary>
    public static void RememberKey(Guid runspaceId, Uri endpoint, string apiKey) =>
        LastAuthByEndpoint[runspaceId.ToString("N") + " " + Normalize(endpoint)] = apiKey;

    /// <summary>Forgets the key the runspace remembers for <paramref name="endpoint"/> when it is <paramref name="apiKey"/> (the server refused it).</summary>
    public static void ForgetKey(Guid runspaceId, Uri endpoint, string apiKey)
    {
        var key = runspaceId.ToString("N") + " " + Normalize(endpoint);
        if (LastAuthByEndpoint.TryGetValue(key, out var remembered) && remembered is string text && text == apiKey)
            LastAuthByEndpoint.TryRemove(key, out _);
    }

    /// <summary>The key last used with <paramref name="endpoint"/> in the runspace, if any.</summary>
    public static string? LastKeyFor(Guid runspaceId, Uri endpoint) =>
        LastAuthByEndpoint.TryGetValue(runspaceId.ToString("N") + " " + Normalize(endpoint), out var auth) ? auth as string : null;

    /// <summary>Remembers that the runspace last called <paramref name="endpoint"/> with IAM auth, and with which AWS connection options.</summary>
    public static void RememberIam(Guid runspaceId, Uri endpoint, object awsOptions) =>
        LastAuthByEndpoint[runspaceId.ToString("N") + " " + Normalize(endpoint)] = awsOptions;

    /// <summary>The AWS connection options of the runspace's last IAM call to <paramref name="endpoint"/>, when its last call used IAM.</summary>
    public static object? LastIamOptionsFor(Guid runspaceId, Uri endpoint) =>
        LastAuthByEndpoint.TryGetValue(runspaceId.ToString("N") + " " + Normalize(endpoint), out var auth) && auth is not string ? auth : null;

    /// <summary>Forgets the keys and AWS options a runspace used (its module was removed). Clients stay: other runspaces may share them.</summary>
    public static void ForgetRunspace(Guid runspaceId)
    {
        var prefix = runspaceId.ToString("N") + " ";
        foreach (var key in LastAuthByEndpoint.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            LastAuthByEndpoint.TryRemove(key, out _);
    }

    private static string Normalize(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private static string Hash(string apiKey)
    {
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(apiKey)));
    }
}
