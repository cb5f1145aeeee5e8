namespace BatchPs.Admin.Aws;

/// <summary>How hard AWS calls are retried, and how long the engine waits between polls.</summary>
public sealed class RetrySettings
{
    /// <summary>Attempts in all for a throttled or failing call (default 6).</summary>
    public int MaxAttempts { get; set; } = 6;
    /// <summary>The first retry delay; each retry doubles it, with full jitter (default 200 ms).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>The longest delay between two attempts (default 10 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>The HTTP timeout of one attempt (default 60 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How often stack and change-set status is polled (default 5 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The environment variable that sets <see cref="PollInterval"/> in milliseconds (e.g. for a test endpoint).</summary>
    public const string PollIntervalVariable = "BATCHPS_AWS_POLL_INTERVAL_MS";

    /// <summary>The defaults, with <see cref="PollInterval"/> from <c>BATCHPS_AWS_POLL_INTERVAL_MS</c> when it holds a positive number.</summary>
    public static RetrySettings FromEnvironment()
    {
        var settings = new RetrySettings();
        if (int.TryParse(Environment.GetEnvironmentVariable(PollIntervalVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0)
            settings.PollInterval = TimeSpan.FromMilliseconds(ms);
        return settings;
    }
}
