namespace BatchPs.TestSupport.Aws;

/// <summary>
/// Clears every AWS environment variable the SDK reads, empties the process's shared credentials and
/// config files, and puts everything back on dispose. Tests using it run alone (see
/// <see cref="AwsEnvironmentCollection"/>), since the environment is process-wide.
/// </summary>
public sealed class CleanAwsEnvironment : IDisposable
{
    private static readonly string[] Variables =
    {
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EC2_METADATA_DISABLED",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
    };

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    // One folder for the process: AWSSDK.Core remembers the shared file paths it first read from the environment.
    private static readonly string SharedFolder = Path.Combine(Path.GetTempPath(), "batchps-creds-" + Environment.ProcessId);
    private readonly string _folder = SharedFolder;

    /// <summary>
    /// Points AWSSDK.Core at this process's own (empty) shared files, so no test ever reads the machine's ~/.aws
    /// files. A test assembly calls it from its module initializer, before any test touches the SDK.
    /// </summary>
    public static void PinSharedFiles()
    {
        Directory.CreateDirectory(SharedFolder);
        File.WriteAllText(Path.Combine(SharedFolder, "credentials"), "");
        File.WriteAllText(Path.Combine(SharedFolder, "config"), "");
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(SharedFolder, "credentials"));
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(SharedFolder, "config"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(SharedFolder, recursive: true);
    }

    public CleanAwsEnvironment()
    {
        foreach (var variable in Variables) Environment.SetEnvironmentVariable(variable, null);
        CredentialsFile = Path.Combine(_folder, "credentials");
        ConfigFile = Path.Combine(_folder, "config");
        File.WriteAllText(CredentialsFile, "");
        File.WriteAllText(ConfigFile, "");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true"); // never wait on an instance metadata service
    }

    public string CredentialsFile { get; }
    public string ConfigFile { get; }
    public string Folder => _folder;

    public void Dispose()
    {
        foreach (var pair in _saved) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        foreach (var file in Directory.GetFiles(_folder)) File.WriteAllText(file, "");
    }
}

/// <summary>The xunit collection of the tests that change the process environment: they run alone. xunit takes a
/// collection's definition only from the test assembly, so each test project that uses it declares it with this name.</summary>
public static class AwsEnvironmentCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "AWS environment";
}
