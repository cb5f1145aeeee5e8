using BatchPs.LocalStack.Cli;
using BatchPs.LocalStack.Hosting;

namespace BatchPs.LocalStack.Tests;

public sealed class ServeCommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Defaults_are_loopback_a_free_port_a_new_temp_folder_the_sample_catalog_and_the_core_count()
    {
        var options = ServeCommandLine.Parse(Array.Empty<string>(), NoEnvironment).Options;
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(0, options.Port);
        Assert.StartsWith(Path.GetTempPath(), options.DataDirectory);
        Assert.False(Directory.Exists(options.DataDirectory));
        Assert.Equal(LocalStackOptions.SampleCatalogPath, options.CatalogPath);
        Assert.Equal(Environment.ProcessorCount, options.Concurrency);
    }

    [Fact]
    public void The_environment_sets_port_data_catalog_and_concurrency_and_arguments_win()
    {
        var environment = new Dictionary<string, string>
        {
            ["BATCHPS_LOCAL_PORT"] = "5055", ["BATCHPS_LOCAL_DATA"] = "/tmp/from-env", ["BATCHPS_LOCAL_CATALOG"] = "/tmp/env-catalog.json", ["BATCHPS_LOCAL_CONCURRENCY"] = "3",
        };
        var fromEnvironment = ServeCommandLine.Parse(Array.Empty<string>(), n => environment.GetValueOrDefault(n)).Options;
        Assert.Equal(5055, fromEnvironment.Port);
        Assert.Equal("/tmp/from-env", fromEnvironment.DataDirectory);
        Assert.Equal("/tmp/env-catalog.json", fromEnvironment.CatalogPath);
        Assert.Equal(3, fromEnvironment.Concurrency);

        var line = ServeCommandLine.Parse(new[] { "--port", "6000", "--concurrency", "7", "--ready-file", "r.json", "--api-key-file", "k.txt" }, n => environment.GetValueOrDefault(n));
        Assert.Equal(6000, line.Options.Port);
        Assert.Equal(7, line.Options.Concurrency);
        Assert.Equal("r.json", line.ReadyFile);
        Assert.Equal("k.txt", line.ApiKeyFile);
    }

    [Fact]
    public void Record_retention_is_the_clouds_90_days_unless_the_environment_or_an_argument_says_otherwise()
    {
        Assert.Equal(90, ServeCommandLine.Parse([], NoEnvironment).Options.RecordRetentionDays);
        string? Environment(string name) => name == "BATCHPS_LOCAL_RECORD_RETENTION_DAYS" ? "7" : null;
        Assert.Equal(7, ServeCommandLine.Parse([], Environment).Options.RecordRetentionDays);
        Assert.Equal(3650, ServeCommandLine.Parse(["--record-retention-days", "3650"], Environment).Options.RecordRetentionDays);
    }

    [Theory]
    [InlineData("--port", "http", "--port")]
    [InlineData("--concurrency", "0", "--concurrency")]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--bogus", "1", "Unknown option '--bogus'")]
    [InlineData("--record-retention-days", "0", "--record-retention-days (BATCHPS_LOCAL_RECORD_RETENTION_DAYS) must be a whole number from 1 to 3650")]
    [InlineData("--record-retention-days", "3651", "--record-retention-days")]
    public void Bad_options_are_usage_errors_that_name_the_option(string option, string value, string expected)
    {
        var error = Assert.Throws<UsageException>(() => ServeCommandLine.Parse(new[] { option, value }, NoEnvironment));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Without_a_key_one_is_generated_into_the_data_folder_and_reused()
    {
        using var folder = new TestFolder();
        var (key, note) = ApiKeySource.Resolve(null, null, folder.Path);
        Assert.True(key.Length >= 32);
        Assert.Contains(Path.Combine(folder.Path, "api-key"), note);
        Assert.Equal(key, ApiKeySource.Resolve(null, null, folder.Path).Key);
        Assert.Equal("from-env", ApiKeySource.Resolve(null, "from-env", folder.Path).Key);
        Assert.Equal("from-file", ApiKeySource.Resolve(folder.Write("k.txt", "from-file\n"), "from-env", folder.Path).Key);
    }
}
