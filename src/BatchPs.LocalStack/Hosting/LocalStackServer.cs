using System.Net;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Feed;
using BatchPs.LocalStack.Http;
using BatchPs.LocalStack.Storage;
using BatchPs.LocalStack.Workflow;
using BatchPs.StateMachine.Runtime;
using BatchPs.Core.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Hosting;

/// <summary>
/// A running local stack: the database, the local Batch, the workflow runner (the shipped state machine definition on the interpreter), the change-feed
/// consumer with the shared trigger handler, and the trigger API on Kestrel. Start settles what a
/// previous stop or crash left (orphaned processes, interrupted attempts, unhandled feed entries)
/// before it accepts requests.
/// </summary>
public sealed class LocalStackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DataFolder _dataFolder;
    private readonly LocalDatabase _database;
    private readonly LocalBatch _batch;
    private readonly TriggerItemStore _items;
    private readonly LocalWorkflowRunner _workflows;
    private readonly ChangeFeedConsumer _consumer;
    private int _disposed;

    private LocalStackServer(WebApplication app, DataFolder dataFolder, LocalDatabase database, LocalBatch batch, TriggerItemStore items, LocalWorkflowRunner workflows, ChangeFeedConsumer consumer, Uri endpoint, string dataDirectory)
    {
        _items = items;
        _app = app;
        _dataFolder = dataFolder;
        _database = database;
        _batch = batch;
        _workflows = workflows;
        _consumer = consumer;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
    }

    /// <summary>The base address, for example <c>http://127.0.0.1:5000</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The data folder (full path).</summary>
    public string DataDirectory { get; }

    /// <summary>What the start settled from a previous stop or crash, for the console; null when there was nothing.</summary>
    public string? RecoverySummary { get; private init; }

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
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            HttpFraming.RefuseBareLineFeeds();
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            kestrel.Listen(ParseAddress(options.Host), options.Port);
        });
        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggerFactory.CreateLogger("BatchPs.LocalStack");

        LocalDatabase database;
        try
        {
            database = dataFolder.OpenDatabase();
        }
        catch
        {
            dataFolder.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        LocalBatch? batch = null;
        TriggerItemStore? items = null;
        LocalWorkflowRunner? workflows = null;
        ChangeFeedConsumer? consumer = null;
        string? recovery = null;
        try
        {
            var store = new TriggerStore(database);
            var forwarder = new BatchJobStatusForwarder(store);
            batch = new LocalBatch(database, catalog, dataDirectory, Math.Max(1, options.Concurrency), logger, forwarder.ForwardAsync);
            items = new TriggerItemStore(database);
            var resources = TriggerWorkflow.Resources(batch, items);
            var executions = new ExecutionStore(database);
            var interpreter = new StateMachineInterpreter(TriggerWorkflow.Load(resources), resources, new InterpreterOptions
            {
                CheckpointSink = executions,
                StateMachineName = TriggerWorkflow.StateMachineName,
            });
            workflows = new LocalWorkflowRunner(interpreter, executions, logger);
            consumer = new ChangeFeedConsumer(store, new TriggerHandler(catalog, workflows, store), logger);

            var (interrupted, queued) = await batch.RecoverAsync().ConfigureAwait(false);
            var resumed = workflows.Resume();
            if (interrupted + queued + resumed > 0)
                recovery = $"Recovered: {interrupted} interrupted attempt(s) settled, {queued} job(s) queued again, {resumed} workflow execution(s) resumed.";
            consumer.Start();

            var api = new TriggerApi(store, executions, catalog, new ApiKeyCheck(options.ApiKey), logger);
            app.Run(api.HandleAsync);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new IOException($"Cannot listen on {options.Host} port {options.Port}: {ex.Message} Choose another --port, or 0 for a free one.", ex);
            }
        }
        catch
        {
            if (consumer is not null) await consumer.DisposeAsync().ConfigureAwait(false);
            if (workflows is not null) await workflows.DisposeAsync().ConfigureAwait(false);
            if (batch is not null) await batch.DisposeAsync().ConfigureAwait(false);
            items?.Dispose();
            database.Dispose();
            dataFolder.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalStackServer(app, dataFolder, database, batch, items, workflows, consumer, new Uri(address), dataDirectory) { RecoverySummary = recovery };
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
        await _consumer.DisposeAsync().ConfigureAwait(false);
        await _workflows.DisposeAsync().ConfigureAwait(false);
        await _batch.DisposeAsync().ConfigureAwait(false);
        _items.Dispose();
        _database.Dispose();
        _dataFolder.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IPAddress ParseAddress(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address
        : throw new ArgumentException($"--host '{host}' is not an IP address; use 127.0.0.1 (the default), ::1 or 0.0.0.0.");
}
