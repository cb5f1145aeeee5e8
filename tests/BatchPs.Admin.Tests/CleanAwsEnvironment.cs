namespace BatchPs.Admin.Tests;

/// <summary>
/// Clears every AWS environment variable the SDK reads, points the shared credentials and config files
/// at empty temp files, and puts everything back on dispose. Tests using it run alone (see
/// <see cref="AwsEnvironmentCollection"/>), since the environment is process-wide.
/// </summary>
internal sealed class CleanAwsEnvironment : IDisposable
{
    private static readonly string[] Variables =
    {
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
    };

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    // One folder for the process: AWSSDK.Core remembers the shared file paths it first read from the environment.
    private static readonly string SharedFolder = Path.Combine(Path.GetTempPath(), "batchps-creds-" + Environment.ProcessId);
    private readonly string _folder = SharedFolder;

    public CleanAwsEnvironment()
    {
        foreach (var variable in Variables) Environment.SetEnvironmentVariable(variable, null);
        Directory.CreateDirectory(_folder);
        CredentialsFile = Path.Combine(_folder, "credentials");
        ConfigFile = Path.Combine(_folder, "config");
        File.WriteAllText(CredentialsFile, "");
        File.WriteAllText(ConfigFile, "");
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", ConfigFile);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true"); // never wait on an instance metadata service
    }

    public string CredentialsFile { get; }
    public string ConfigFile { get; }
    public string Folder => _folder;

    public void Dispose()
    {
        foreach (var pair in _saved) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        foreach (var file in Directory.GetFiles(_folder)) File.Delete(file);
    }
}

/// <summary>Tests that change the process environment run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "AWS environment";
}
