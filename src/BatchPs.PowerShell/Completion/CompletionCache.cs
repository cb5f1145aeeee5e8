using System.Collections.Concurrent;

namespace BatchPs.PowerShell.Completion;

/// <summary>
/// What the completers read from a stack, kept briefly so pressing Tab again answers at once; a failed read is
/// kept too (as an empty answer, for at most 10 s), so a stack that is down does not make every Tab wait for the
/// timeout. Entries belong to one client (one endpoint and key): a refused key never hides what the right key reads.
/// </summary>
internal static class CompletionCache
{
    /// <summary>How long one completer call may wait for the stack.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a failed read is kept.</summary>
    public static readonly TimeSpan FailureMaxAge = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<string, (DateTime At, object Value, bool Failed)> Entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The cached value of <paramref name="what"/> read through <paramref name="client"/> when younger than
    /// <paramref name="maxAge"/>, else the result of <paramref name="read"/> (given a token that ends after
    /// <see cref="CallTimeout"/>), or <paramref name="empty"/> when the read fails or times out.
    /// </summary>
    public static T Get<T>(Core.Client.BatchTriggerClient client, string what, TimeSpan maxAge, T empty, Func<CancellationToken, Task<T>> read)
        where T : class
    {
        var key = string.Join(" ", what, client.Endpoint.GetLeftPart(UriPartial.Path), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(client));
        var now = DateTime.UtcNow;
        if (Entries.TryGetValue(key, out var cached) && now - cached.At < (cached.Failed && FailureMaxAge < maxAge ? FailureMaxAge : maxAge) && cached.Value is T value) return value;
        T result;
        var failed = false;
        using (var timeout = new CancellationTokenSource(CallTimeout))
        {
            try
            {
                result = read(timeout.Token).GetAwaiter().GetResult();
            }
#pragma warning disable CA1031 // Completion is quiet on failure: a stack that is down, a refused key, a timeout.
            catch (Exception)
#pragma warning restore CA1031
            {
                result = empty;
                failed = true;
            }
        }
        Entries[key] = (DateTime.UtcNow, result, failed);
        return result;
    }

    /// <summary>Forgets everything (tests; a module reload).</summary>
    public static void Clear() => Entries.Clear();
}
