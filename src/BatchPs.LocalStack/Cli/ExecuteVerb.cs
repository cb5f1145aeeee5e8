using System.Globalization;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Catalog;
using BatchPs.LocalStack.Hosting;
using BatchPs.LocalStack.Storage;
using BatchPs.LocalStack.Workflow;
using BatchPs.LocalStack.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchPs.LocalStack.Cli;

/// <summary>
/// <c>execute --definition FILE --input FILE</c>: runs a definition on an input, without a trigger, with
/// the local stack's resources (the local Batch with the catalog's jobs, the trigger table) over a data
/// folder, and prints one JSON object (<see cref="ExecuteCommand"/>). <c>${TriggerTableName}</c> is the
/// local table unless given.
/// </summary>
internal static class ExecuteVerb
{
    public const string Usage = """
        Usage: BatchPs.LocalStack execute --definition FILE [--input FILE|-] [--substitute Name=Value]... [--name NAME]
                                          [--data DIR] [--catalog FILE] [--concurrency N]

          --data DIR            data folder of the local resources (default: a new temp folder; env BATCHPS_LOCAL_DATA)
          --catalog FILE        the catalog whose jobs batch:submitJob.sync runs (default: the sample catalog)
          --concurrency N       job processes at once (default: the core count)
        Resources: arn:aws:states:::batch:submitJob.sync, arn:aws:states:::dynamodb:updateItem and getItem
        (table ${TriggerTableName} = the local trigger table).
        """;

    /// <summary>Runs the verb; exit code 0 succeeded, 1 failed or timed out, 2 usage or definition error, 3 bad catalog or data folder.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var forwarded = new List<string> { "--substitute", $"{BatchPs.Core.Batch.TriggerWorkflowDefinition.TriggerTableName}={TriggerStore.TableName}" };
        string? data = Environment.GetEnvironmentVariable("BATCHPS_LOCAL_DATA"), catalog = null;
        var concurrency = Environment.ProcessorCount;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--data" or "--catalog" or "--concurrency" when i + 1 >= args.Count:
                    throw new UsageException($"Option '{args[i]}' needs a value.");
                case "--data": data = args[++i]; break;
                case "--catalog": catalog = args[++i]; break;
                case "--concurrency":
                    concurrency = int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024
                        ? n : throw new UsageException($"--concurrency must be a whole number from 1 to 1024, not '{args[i]}'.");
                    break;
                case "-h" or "--help" or "-?":
                    Console.WriteLine(Usage);
                    Console.WriteLine(ExecuteCommand.Usage);
                    return 0;
                default: forwarded.Add(args[i]); break;
            }
        }
        var jobs = LocalJobCatalog.Load(string.IsNullOrEmpty(catalog) ? LocalStackOptions.SampleCatalogPath : Path.GetFullPath(catalog));
        // A temp data folder of our own is removed after the run (its database, job logs and lock), once
        // everything in it is closed; a folder the caller named is theirs and stays.
        var ownsDataDirectory = string.IsNullOrEmpty(data);
        var dataDirectory = ownsDataDirectory
            ? Path.Combine(Path.GetTempPath(), "batchps-execute-" + Guid.NewGuid().ToString("N")[..12])
            : Path.GetFullPath(data!);
        try
        {
            return await RunInAsync(dataDirectory, jobs, concurrency, forwarded).ConfigureAwait(false);
        }
        finally
        {
            if (ownsDataDirectory)
            {
                DeleteTempFolder(dataDirectory);
            }
        }
    }

    private static async Task<int> RunInAsync(string dataDirectory, LocalJobCatalog jobs, int concurrency, List<string> forwarded)
    {
        using var dataFolder = DataFolder.Open(dataDirectory);
        using var database = dataFolder.OpenDatabase();
        using var items = new TriggerStore(database);
        var batch = new LocalBatch(database, jobs, dataDirectory, concurrency, NullLogger.Instance);
        await using (batch.ConfigureAwait(false))
        {
            await batch.RecoverAsync().ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler cancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += cancel;
            try
            {
                return await ExecuteCommand.RunAsync(forwarded, TriggerWorkflow.Resources(batch, items), Console.Out, Console.Error, null, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                Console.CancelKeyPress -= cancel;
            }
        }
    }

    private static void DeleteTempFolder(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not remove the temp data folder '{directory}': {e.Message}");
        }
    }
}
