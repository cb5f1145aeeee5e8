using BatchPs.Admin.Aws;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Admin.Tests;

/// <summary>A fake AWS on loopback, a template and a Lambda package on disk, and options pointing at them.</summary>
internal sealed class AdminTestContext : IAsyncDisposable
{
    private AdminTestContext(FakeAws aws, string folder)
    {
        Aws = aws;
        Folder = folder;
        (TemplatePath, DefinitionPath, PackagePath) = FakeTemplate.WriteTo(folder);
    }

    public FakeAws Aws { get; }
    public string Folder { get; }
    public string TemplatePath { get; }
    public string PackagePath { get; }
    public string DefinitionPath { get; }

    public static RetrySettings FastRetry => new()
    {
        PollInterval = TimeSpan.FromMilliseconds(5),
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(60),
    };

    public AwsConnectionOptions Options(string secretKey = FakeAws.SecretKey, string accessKey = FakeAws.AccessKey) => new()
    {
        AccessKey = accessKey,
        SecretKey = secretKey,
        Region = FakeAws.Region,
        EndpointUrl = Aws.Endpoint,
    };

    public StackAdmin StackAdmin() => new(Options(), FastRetry);

    public static async Task<AdminTestContext> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "batchps-admin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new AdminTestContext(await FakeAws.StartAsync(), folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Aws.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
