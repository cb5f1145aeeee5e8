using System.Globalization;
using BatchPs.LocalStack.Hosting;

namespace BatchPs.LocalStack.Cli;

/// <summary>
/// The <c>serve</c> command's options: arguments first, then the environment
/// (<c>BATCHPS_LOCAL_PORT</c>, <c>BATCHPS_LOCAL_DATA</c>, <c>BATCHPS_LOCAL_CATALOG</c>,
/// <c>BATCHPS_LOCAL_CONCURRENCY</c>, <c>BATCHPS_LOCAL_RECORD_RETENTION_DAYS</c>, <c>BATCHPS_API_KEY</c>), then defaults.
/// </summary>
internal sealed class ServeCommandLine
{
    public const string Usage = """
        Usage: BatchPs.LocalStack [serve] [options]
               BatchPs.LocalStack execute --definition FILE [--input FILE] [--data DIR] [--catalog FILE] (execute --help)
               BatchPs.LocalStack sample-job [--name NAME] [--steps N] [--delay-ms N] [--exit-code N]

        serve (the default) runs the BatchPs trigger API and its job runner on this machine.
          --host ADDRESS        address to listen on (default 127.0.0.1)
          --port N              port; 0 picks a free one (default 0; env BATCHPS_LOCAL_PORT)
          --data DIR            data folder: database and job logs (default: a new temp folder; env BATCHPS_LOCAL_DATA)
          --catalog FILE        job catalog file (default: catalog.sample.json next to the program; env BATCHPS_LOCAL_CATALOG)
          --concurrency N       job processes at once (default: the core count; env BATCHPS_LOCAL_CONCURRENCY)
          --record-retention-days N
                                days after its creation a final trigger is deleted with its logs, 1-3650
                                (default 90, as the cloud stack's RecordRetentionDays; env BATCHPS_LOCAL_RECORD_RETENTION_DAYS)
          --max-connections N   HTTP connections kept at once; more are closed as they come
                                (default: from the open-file limit, ulimit -n, and --concurrency; 32 to 1024)
          --ready-file FILE     once listening, write {"endpoint","pid","dataDirectory"} there as JSON
          --api-key-file FILE   read the API key from FILE; - reads it from the first line of standard input
                                (default: env BATCHPS_API_KEY; with neither, a key is generated into DATA/api-key)
          --log-requests        log every HTTP request
        """;

    public LocalStackOptions Options { get; } = new();
    public string? ReadyFile { get; private set; }
    public string? ApiKeyFile { get; private set; }

    /// <summary>Parses the arguments after <c>serve</c>; throws <see cref="UsageException"/> with the fix.</summary>
    public static ServeCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var result = new ServeCommandLine();
        var o = result.Options;
        string? port = environment("BATCHPS_LOCAL_PORT"), data = environment("BATCHPS_LOCAL_DATA"),
            catalog = environment("BATCHPS_LOCAL_CATALOG"), concurrency = environment("BATCHPS_LOCAL_CONCURRENCY"),
            retention = environment("BATCHPS_LOCAL_RECORD_RETENTION_DAYS"), maxConnections = null as string;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--host": o.Host = Value(args, ref i); break;
                case "--port": port = Value(args, ref i); break;
                case "--data": data = Value(args, ref i); break;
                case "--catalog": catalog = Value(args, ref i); break;
                case "--concurrency": concurrency = Value(args, ref i); break;
                case "--record-retention-days": retention = Value(args, ref i); break;
                case "--max-connections": maxConnections = Value(args, ref i); break;
                case "--ready-file": result.ReadyFile = Value(args, ref i); break;
                case "--api-key-file": result.ApiKeyFile = Value(args, ref i); break;
                case "--log-requests": o.LogRequests = true; break;
                default: throw new UsageException($"Unknown option '{name}'.");
            }
        }
        if (!string.IsNullOrEmpty(port)) o.Port = Number(port, "--port (BATCHPS_LOCAL_PORT)", 0, 65535);
        if (!string.IsNullOrEmpty(concurrency)) o.Concurrency = Number(concurrency, "--concurrency (BATCHPS_LOCAL_CONCURRENCY)", 1, 1024);
        if (maxConnections is not null) o.MaxConnections = Number(maxConnections, "--max-connections", 1, 100_000);
        if (!string.IsNullOrEmpty(retention))
            o.RecordRetentionDays = Number(retention, "--record-retention-days (BATCHPS_LOCAL_RECORD_RETENTION_DAYS)", Storage.RecordRetention.MinDays, Storage.RecordRetention.MaxDays);
        o.DataDirectory = string.IsNullOrEmpty(data)
            ? Path.Combine(Path.GetTempPath(), "batchps-local-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8])
            : Path.GetFullPath(data);
        o.CatalogPath = string.IsNullOrEmpty(catalog) ? LocalStackOptions.SampleCatalogPath : Path.GetFullPath(catalog);
        return result;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count) throw new UsageException($"Option '{args[i]}' needs a value.");
        return args[++i];
    }

    private static int Number(string value, string what, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{what} must be a whole number from {min} to {max}, not '{value}'.");
}
