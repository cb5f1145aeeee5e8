using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BatchPs.Client;

namespace BatchPs.PowerShell;

/// <summary>
/// The session's connections: one <see cref="BatchTriggerClient"/> (one HttpClient, one connection pool)
/// per endpoint and API key, reused by every cmdlet call. It also remembers the last key used with
/// each endpoint, so <c>Send-BatchTrigger -Endpoint $e -ApiKey $k | Wait-BatchTrigger</c> needs the
/// key only once. Keys are indexed by their SHA-256, never kept as plain dictionary keys.
/// </summary>
internal static class ConnectionRegistry
{
    private static readonly ConcurrentDictionary<string, BatchTriggerClient> Clients = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> LastKeyByEndpoint = new(StringComparer.Ordinal);

    /// <summary>The client for an endpoint and key, created on first use.</summary>
    public static BatchTriggerClient Get(Uri endpoint, string apiKey)
    {
        var endpointKey = Normalize(endpoint);
        LastKeyByEndpoint[endpointKey] = apiKey;
        return Clients.GetOrAdd(endpointKey + " " + Hash(apiKey), _ => new BatchTriggerClient(new BatchTriggerClientOptions(endpoint, apiKey)));
    }

    /// <summary>The key last used with <paramref name="endpoint"/> in this session, if any.</summary>
    public static string? LastKeyFor(Uri endpoint) => LastKeyByEndpoint.TryGetValue(Normalize(endpoint), out var key) ? key : null;

    /// <summary>Disposes every connection (module removal).</summary>
    public static void Clear()
    {
        LastKeyByEndpoint.Clear();
        foreach (var key in Clients.Keys.ToList())
        {
            if (Clients.TryRemove(key, out var client)) client.Dispose();
        }
    }

    private static string Normalize(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private static string Hash(string apiKey)
    {
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(apiKey)));
    }
}
