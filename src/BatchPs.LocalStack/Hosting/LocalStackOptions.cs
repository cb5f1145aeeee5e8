namespace BatchPs.LocalStack.Hosting;

/// <summary>How to run a local stack (from the command line and environment, or set by tests).</summary>
public sealed class LocalStackOptions
{
    /// <summary>The address to listen on; loopback by default.</summary>
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>The port; 0 picks a free one.</summary>
    public int Port { get; set; }
    /// <summary>The data folder (database, logs); created when missing.</summary>
    public string DataDirectory { get; set; } = "";
    /// <summary>The catalog file.</summary>
    public string CatalogPath { get; set; } = "";
    /// <summary>How many job processes run at once.</summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount;
    /// <summary>The key callers pass in <c>x-api-key</c>.</summary>
    public string ApiKey { get; set; } = "";
    /// <summary>
    /// Connections kept at once (more are closed as they come); null: from the open-file limit (<c>ulimit -n</c>) and
    /// <see cref="Concurrency"/>, see <see cref="ConnectionLimits.DefaultMaxConnections"/>.
    /// </summary>
    public int? MaxConnections { get; set; }
    /// <summary>Log every HTTP request (off by default: it costs throughput).</summary>
    public bool LogRequests { get; set; }
    /// <summary>
    /// Days after its creation a final trigger is deleted with its execution, jobs and logs (the cloud stack's
    /// <c>RecordRetentionDays</c>: same default and bounds, 1-3650).
    /// </summary>
    public int RecordRetentionDays { get; set; } = Storage.RecordRetention.DefaultDays;
    /// <summary>Time between retention sweeps (the first runs at start).</summary>
    internal TimeSpan RecordRetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The sample catalog shipped next to the program.</summary>
    public static string SampleCatalogPath => Path.Combine(AppContext.BaseDirectory, "catalog.sample.json");
}
