namespace BatchPs.Core.Client;

/// <summary>How <see cref="LocalStackLauncher"/> starts a local stack.</summary>
public sealed class LocalStackStartOptions
{
    /// <summary>Creates options for the local stack program at <paramref name="localStackDll"/>.</summary>
    public LocalStackStartOptions(string localStackDll)
    {
        LocalStackDll = localStackDll ?? throw new ArgumentNullException(nameof(localStackDll));
    }

    /// <summary>The path of <c>BatchPs.LocalStack.dll</c>.</summary>
    public string LocalStackDll { get; }

    /// <summary>The loopback port; 0 (default) lets the system pick a free one.</summary>
    public int Port { get; set; }

    /// <summary>The data folder; null (default) makes a fresh one under the temp folder, owned by the instance.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The job catalog file; null (default) uses the sample catalog shipped with the stack.</summary>
    public string? CatalogPath { get; set; }

    /// <summary>Most jobs running at once; null (default) lets the stack use the core count.</summary>
    public int? Concurrency { get; set; }

    /// <summary>Days a final trigger is kept (its records and logs); null (default) keeps the stack's default, 90.</summary>
    public int? RecordRetentionDays { get; set; }

    /// <summary>HTTP connections the stack keeps at once; null (default) derives it from the open-file limit.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>The API key; null (default) generates a random one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long to wait for the stack to listen (default 60 s).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// False (default): <see cref="LocalStackLauncher.StopStarted"/> stops the stack when the process (the
    /// PowerShell session) that started it ends. True: it runs on until stopped.
    /// </summary>
    public bool KeepRunning { get; set; }
}
