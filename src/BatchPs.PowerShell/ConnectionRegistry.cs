using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BatchPs.Core.Client;

namespace BatchPs.PowerShell;

/// <summary>
/// The session's connections: one <see cref="BatchTriggerClient"/> (one HttpClient, one connection pool)
/// per endpoint and API key, reused by every cmdlet call. It also remembers, per runspace, the last key
/// used with each endpoint, so <c>Send-BatchTrigger -Endpoint $e -ApiKey $k | Wait-BatchTrigger</c>
/// needs the key only once, and another runspace of the same process never picks it up. For IAM auth it
/// remembers the AWS connection options instead, so <c>Send-BatchTrigger -ProfileName p | Wait-BatchTrigger</c>
/// signs both calls as <c>p</c>. Clients are indexed by the key's SHA-256, never by the plain key.
/// </summary>
internal static class ConnectionRegistry
{
    private static readonly ConcurrentDictionary<string, BatchTriggerClient> Clients = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, object> LastAuthByEndpoint = new(StringComparer.Ordinal);

    /// <summary>The client for an endpoint and key, created on first use; remembers the key for the runspace.</summary>
    public static BatchTriggerClient Get(Guid runspaceId, Uri endpoint, string apiKey)
    {
        var endpointKey = Normalize(endpoint);
        var client = Clients.GetOrAdd(endpointKey + " " + Hash(apiKey), _ => new BatchTriggerClient(new BatchTriggerClientOptions(endpoint, apiKey)));
        LastAuthByEndpoint[runspaceId.ToString("N") + " " + endpointKey] = apiKey;
        return client;
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
