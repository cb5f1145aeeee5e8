using BatchPs.Core.Catalog;
using BatchPs.LocalStack.Cli;
using BatchPs.LocalStack.Hosting;
using BatchPs.LocalStack.Storage;
using BatchPs.LocalStack.Workflow;
using BatchPs.StateMachine.Loading;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack;

/// <summary>The local stack program: <c>serve</c> (the default), <c>execute</c> or <c>sample-job</c>.</summary>
public static class Program
{
    /// <summary>Runs the program; exit code 0 on a clean stop, 2 for a bad command line, 3 for a bad catalog, definition, data folder or port.</summary>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "sample-job")
                return await SampleJob.RunAsync(args[1..]).ConfigureAwait(false);
            if (args.Length > 0 && args[0] == "execute")
                return await ExecuteVerb.RunAsync(args[1..]).ConfigureAwait(false);
            if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
            {
                Console.WriteLine(ServeCommandLine.Usage);
                return 0;
            }
            return await ServeAsync(args.Length > 0 && args[0] == "serve" ? args[1..] : args).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            Console.Error.WriteLine();
            Console.Error.WriteLine(ServeCommandLine.Usage);
            return 2;
        }
        catch (CatalogException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 3;
        }
        catch (DefinitionException ex)
        {
            Console.Error.WriteLine($"error: the state machine definition '{TriggerWorkflow.DefinitionPath}' cannot be run: {ex.Message}");
            return 3;
        }
        catch (Exception ex) when (args.Length > 0 && args[0] == "execute" && ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 3;
        }
    }

    private static async Task<int> ServeAsync(string[] args)
    {
        var commandLine = ServeCommandLine.Parse(args, Environment.GetEnvironmentVariable);
        var options = commandLine.Options;

        LocalStackServer server;
        string? note;
        try
        {
            // The lock comes first: a stack that loses it must not write the key file (or anything else).
            var dataFolder = DataFolder.Open(options.DataDirectory);
            try
            {
                (options.ApiKey, note) = ApiKeySource.Resolve(commandLine.ApiKeyFile, Environment.GetEnvironmentVariable("BATCHPS_API_KEY"), dataFolder.Path);
            }
            catch
            {
                dataFolder.Dispose();
                throw;
            }
            server = await LocalStackServer.StartAsync(options, dataFolder).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 3;
        }
        catch (SqliteException ex)
        {
            Console.Error.WriteLine($"error: the database in '{options.DataDirectory}' cannot be used: {ex.Message} Restore it from a backup, or pass a new --data folder.");
            return 3;
        }

        await using (server.ConfigureAwait(false))
        {
            Console.WriteLine($"BatchPs local stack listening on {server.Endpoint.ToString().TrimEnd('/')}");
            Console.WriteLine($"Data: {server.DataDirectory}  Catalog: {options.CatalogPath}  Concurrency: {options.Concurrency}");
            Console.WriteLine($"Connections: at most {ConnectionLimits.MaxConnections(options)}  Record retention: {options.RecordRetentionDays} days");
            if (note is not null) Console.WriteLine(note);
            if (server.RecoverySummary is not null) Console.WriteLine(server.RecoverySummary);
            if (commandLine.ReadyFile is not null) ReadyFile.Write(commandLine.ReadyFile, server.Endpoint, server.DataDirectory);
            await server.WaitForShutdownAsync().ConfigureAwait(false);
            Console.WriteLine("BatchPs local stack stopping.");
            // A ready file must not outlive the endpoint it announces.
            if (commandLine.ReadyFile is not null) File.Delete(commandLine.ReadyFile);
        }
        return 0;
    }
}
