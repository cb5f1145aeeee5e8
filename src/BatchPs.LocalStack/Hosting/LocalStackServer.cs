using System.Net;
using BatchPs.Core.Api;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Http;
using BatchPs.LocalStack.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Hosting;

/// <summary>
/// A running local stack: a generic host (ASP.NET Core's slim <see cref="WebApplication"/>) with Kestrel, the parts
/// of <see cref="LocalStackServices"/> and the API of <see cref="ApiPipeline"/>. Start settles what a previous stop or
/// crash left (<see cref="LocalStackLifecycle"/>) before it accepts requests.
/// </summary>
public sealed class LocalStackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private LocalStackServer(WebApplication app, Uri endpoint, string dataDirectory, string? recoverySummary)
    {
        _app = app;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
        RecoverySummary = recoverySummary;
    }

    /// <summary>The base address, for example <c>http://127.0.0.1:5000</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The data folder (full path).</summary>
    public string DataDirectory { get; }

    /// <summary>The stack's parts, for tests that reach inside (the database's fault seam).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>What the start settled from a previous stop or crash, for the console; null when there was nothing.</summary>
    public string? RecoverySummary { get; }

    /// <summary>
    /// Opens the data folder (<see cref="DataFolder.Open"/>), then starts as
    /// <see cref="StartAsync(LocalStackOptions, DataFolder, CancellationToken)"/> does.
    /// </summary>
    public static Task<LocalStackServer> StartAsync(LocalStackOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, DataFolder.Open(options.DataDirectory), cancellationToken);

    /// <summary>
    /// Loads the catalog (throws <see cref="BatchPs.Core.Catalog.CatalogException"/> when it is bad), checks and
    /// opens the database of <paramref name="dataFolder"/> (which the server owns from now on, and disposes
    /// when the start fails), recovers, and starts listening.
    /// </summary>
    internal static async Task<LocalStackServer> StartAsync(LocalStackOptions options, DataFolder dataFolder, CancellationToken cancellationToken = default)
    {
        LocalJobCatalog catalog;
        try
        {
            catalog = LocalJobCatalog.Load(options.CatalogPath);
        }
        catch
        {
            dataFolder.Dispose();
            throw;
        }
        var dataDirectory = dataFolder.Path;
        var address = ParseAddress(options.Host);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = Array.Empty<string>(),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (options.LogRequests)
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information);
        // One warning per connection refused over the limit would turn a flood into a flood of console lines.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Error);
        var maxConnections = ConnectionLimits.MaxConnections(options);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            HttpFraming.RefuseBareLineFeeds();
            kestrel.AddServerHeader = false;
            // Kestrel enforces the API's body limit; ApiPipeline answers 413 BodyTooLarge.
            kestrel.Limits.MaxRequestBodySize = Limits.MaxBodyBytes;
            ConnectionLimits.Apply(kestrel, maxConnections);
            kestrel.Listen(address, options.Port, listen => listen.Use(ConnectionLimits.CloseSilentConnections(maxConnections)));
        });
        builder.Services.AddLocalStack(options, catalog, dataFolder);

        var app = builder.Build();
        try
        {
            app.MapLocalStackApi();
            var lifecycle = app.Services.GetRequiredService<LocalStackLifecycle>();
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (lifecycle.Started)
            {
                throw new IOException($"Cannot listen on {options.Host} port {options.Port}: {ex.Message} Choose another --port, or 0 for a free one.", ex);
            }
            var endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new LocalStackServer(app, new Uri(endpoint), dataDirectory, lifecycle.RecoverySummary);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            dataFolder.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM, SIGINT, Ctrl+C).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// Stops: no new requests, the feed consumer and workflows stop, running job processes are
    /// killed (the next start settles their attempts), the database closes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IPAddress ParseAddress(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address
        : throw new ArgumentException($"--host '{host}' is not an IP address; use 127.0.0.1 (the default), ::1 or 0.0.0.0.");
}
