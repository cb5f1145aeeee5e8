using BatchPs.Core.Workflow;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Feed;
using BatchPs.LocalStack.Http;
using BatchPs.LocalStack.Storage;
using BatchPs.LocalStack.Workflow;
using BatchPs.StateMachine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BatchPs.LocalStack.Hosting;

/// <summary>
/// The local stack's parts, composed by dependency injection: the data folder's lock and database, the triggers and
/// executions stores, the local Batch (its job changes forwarded to the trigger records), the interpreter running the
/// shipped definition on local resources, the workflow runner, the trigger handler and its change-feed consumer, and
/// the HTTP API. <see cref="LocalStackLifecycle"/> starts and stops the background parts in order; the container
/// disposes the rest after them (the database, then the lock).
/// </summary>
internal static class LocalStackServices
{
    /// <summary>The logging category of the local stack's own messages.</summary>
    public const string LogCategory = "BatchPs.LocalStack";

    public static IServiceCollection AddLocalStack(this IServiceCollection services, LocalStackOptions options, LocalJobCatalog catalog, DataFolder dataFolder)
    {
        var dataDirectory = dataFolder.Path;
        services.AddSingleton(catalog);
        services.AddSingleton<ILogger>(sp => sp.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory));

        // Storage: the data folder (already locked and checked) first, so that it is released last.
        services.AddSingleton(_ => dataFolder);
        services.AddSingleton(sp => sp.GetRequiredService<DataFolder>().OpenDatabase());
        services.AddSingleton<TriggerStore>();
        services.AddSingleton<ExecutionStore>();
        services.AddSingleton(sp => new RecordRetention(sp.GetRequiredService<LocalDatabase>(), dataFolder.LogsPath, options.RecordRetentionDays,
            options.RecordRetentionSweepInterval, sp.GetRequiredService<ILogger>()));

        // The local AWS: Batch, the workflow on the interpreter, the stream consumer with the shared handler.
        services.AddSingleton(sp => new LocalBatch(sp.GetRequiredService<LocalDatabase>(), catalog, dataDirectory, Math.Max(1, options.Concurrency),
            sp.GetRequiredService<ILogger>(), new BatchJobStatusForwarder(sp.GetRequiredService<TriggerStore>()).ForwardAsync));
        services.AddSingleton(sp =>
        {
            var resources = TriggerWorkflow.Resources(sp.GetRequiredService<LocalBatch>(), sp.GetRequiredService<TriggerStore>());
            return new StateMachineInterpreter(TriggerWorkflow.Load(resources), resources, new InterpreterOptions
            {
                CheckpointSink = sp.GetRequiredService<ExecutionStore>(),
                StateMachineName = TriggerWorkflow.StateMachineName,
                // A task whose store write failed (a full disk) is not a failed task: the runner resumes the execution.
                IsHostFailure = StorageFaults.IsStorageFailure,
            });
        });
        services.AddSingleton<LocalWorkflowRunner>();
        services.AddSingleton(sp => new TriggerHandler(catalog, sp.GetRequiredService<LocalWorkflowRunner>(), sp.GetRequiredService<TriggerStore>()));
        services.AddSingleton<ChangeFeedConsumer>();

        // The HTTP API.
        services.AddSingleton(new ApiKeyCheck(options.ApiKey));
        services.AddSingleton<TriggerApi>();
        services.AddSingleton<TriggerCancellation>();
        services.AddSingleton<TriggerCancelApi>();
        services.AddSingleton<TriggerQueryApi>();

        services.AddSingleton<LocalStackLifecycle>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalStackLifecycle>());
        return services;
    }
}
