using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BatchPs.LocalStack.Hosting;

/// <summary>
/// Kestrel's limits on connections, set from the process's open-file limit (<c>RLIMIT_NOFILE</c>, <c>ulimit -n</c>):
/// every connection holds a file descriptor, and a process that runs out of them aborts (the .NET runtime fails fast with
/// "Out of memory" when it cannot get one). So the stack keeps at most <see cref="MaxConnections"/> connections (Kestrel
/// accepts the excess and closes it at once, which costs a descriptor for a moment), cuts a connection that sends nothing
/// within <see cref="FirstByteTimeout"/> (and keeps at most half the slots for such connections, closing the oldest first), a request whose headers take longer than <see cref="RequestHeadersTimeout"/>, a
/// body slower than <see cref="MinBodyBytesPerSecond"/>, and an idle keep-alive connection after <see cref="KeepAliveTimeout"/>.
/// </summary>
internal static class ConnectionLimits
{
    /// <summary>A connection that has not sent its first byte by then is closed (Kestrel's own first wait is the keep-alive timeout).</summary>
    public static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Kestrel's RequestHeadersTimeout (its default is 30 s): from a request's first byte to the end of its headers.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Kestrel's KeepAliveTimeout, its default of 130 s made explicit: an idle connection between requests. It stays longer
    /// than the clients keep an idle pooled connection (.NET's SocketsHttpHandler 60 s; .NET Framework's ServicePoint, under
    /// Windows PowerShell 5.1, 100 s), so a client never sends a POST on a connection the stack has just closed; idle
    /// connections are bounded by <see cref="MaxConnections"/> all the same.
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(130);
    /// <summary>Kestrel's MinRequestBodyDataRate, its default made explicit: 240 bytes/s after a 5 s grace period.</summary>
    public const double MinBodyBytesPerSecond = 240;
    private static readonly TimeSpan MinBodyRateGrace = TimeSpan.FromSeconds(5);

    /// <summary>Descriptors kept for the stack's own files (assemblies, database, WAL, logs) and its runtime.</summary>
    public const int ReservedDescriptors = 512;
    /// <summary>Descriptors kept per job slot (the process's pipes, its log file).</summary>
    public const int DescriptorsPerJobSlot = 8;
    /// <summary>Descriptors a connection may cost: its socket and a pooled read connection of the database (file, WAL, shared memory).</summary>
    public const int DescriptorsPerConnection = 4;
    /// <summary>The bounds of the default; more connections than this is not what a local stack is for.</summary>
    public const int MinDefaultConnections = 32, MaxDefaultConnections = 1024;

    /// <summary>The connections Kestrel keeps at most: the option when set, else from the open-file limit and the job slots.</summary>
    public static int MaxConnections(LocalStackOptions options) =>
        options.MaxConnections ?? DefaultMaxConnections(OpenFileLimit(), Math.Max(1, options.Concurrency));

    /// <summary>(limit − reserve − job slots' share) / per connection, from 32 to 1024; 1024 when the limit is unknown (Windows).</summary>
    public static int DefaultMaxConnections(long? openFileLimit, int concurrency)
    {
        if (openFileLimit is not { } limit) return MaxDefaultConnections;
        var spare = limit - ReservedDescriptors - (long)DescriptorsPerJobSlot * concurrency;
        return (int)Math.Clamp(spare / DescriptorsPerConnection, MinDefaultConnections, MaxDefaultConnections);
    }

    /// <summary>The soft open-file limit (<c>ulimit -n</c>) on Linux and macOS; null elsewhere or when it cannot be read.</summary>
    public static long? OpenFileLimit()
    {
        var resource = OperatingSystem.IsLinux() ? 7 : OperatingSystem.IsMacOS() ? 8 : -1; // RLIMIT_NOFILE
        if (resource < 0) return null;
        try
        {
            if (getrlimit(resource, out var limit) != 0) return null;
            return limit.Current > long.MaxValue ? long.MaxValue : (long)limit.Current;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Sets Kestrel's limits.</summary>
    public static void Apply(KestrelServerOptions kestrel, int maxConnections)
    {
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = maxConnections;
        limits.MaxConcurrentUpgradedConnections = 0; // the API upgrades nothing (no WebSockets)
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(MinBodyBytesPerSecond, MinBodyRateGrace);
    }

    /// <summary>
    /// Connection middleware: waits up to <see cref="FirstByteTimeout"/> for the connection's first bytes (without
    /// consuming them), closes it when none came, else hands it to HTTP. At most half of <paramref name="maxConnections"/>
    /// wait so at once: a new one closes the one that has waited longest, so a flood of silent connections cannot take
    /// the slots of clients that talk (theirs wait for a moment only).
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> CloseSilentConnections(int maxConnections)
    {
        var waiting = new SilentConnections(Math.Max(1, maxConnections / 2));
        return next => async connection =>
        {
            var input = connection.Transport.Input;
            using var timeout = new CancellationTokenSource(FirstByteTimeout);
            var entry = waiting.Add(timeout);
            try
            {
                var first = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                var closed = first.Buffer.IsEmpty && first.IsCompleted;
                input.AdvanceTo(first.Buffer.Start); // nothing consumed, nothing examined: HTTP reads the same bytes
                if (closed) return;
            }
            catch (OperationCanceledException)
            {
                connection.Abort(new ConnectionAbortedException("No request within " + FirstByteTimeout.TotalSeconds + " s of connecting, or closed for a newer connection."));
                return;
            }
            finally
            {
                waiting.Remove(entry);
            }
            await next(connection).ConfigureAwait(false);
        };
    }

    /// <summary>The connections that have not sent a byte yet, oldest first; over the cap, the oldest is cancelled.</summary>
    private sealed class SilentConnections(int cap)
    {
        private readonly LinkedList<CancellationTokenSource> _waiting = new();

        public LinkedListNode<CancellationTokenSource> Add(CancellationTokenSource wait)
        {
            CancellationTokenSource? evicted = null;
            LinkedListNode<CancellationTokenSource> node;
            lock (_waiting)
            {
                node = _waiting.AddLast(wait);
                if (_waiting.Count > cap)
                {
                    evicted = _waiting.First!.Value;
                    _waiting.RemoveFirst();
                }
            }
            try
            {
                evicted?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It got its first byte (or closed) meanwhile and is gone already.
            }
            return node;
        }

        public void Remove(LinkedListNode<CancellationTokenSource> node)
        {
            lock (_waiting)
            {
                if (node.List is not null) _waiting.Remove(node);
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);
}
