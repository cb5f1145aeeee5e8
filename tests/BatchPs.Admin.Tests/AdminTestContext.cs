using BatchPs.Admin.Aws;
using BatchPs.Admin.Tests.Fakes;

namespace BatchPs.Admin.Tests;

/// <summary>A fake AWS on loopback, a template and a Lambda package on disk, and options pointing at them.</summary>
internal sealed class AdminTestContext : IAsyncDisposable
{
    /// <summary>A template laid out as the repository's: local paths that Deploy uploads, as `aws cloudformation package` would.</summary>
    public const string Template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Parameters:
          AuthMode: { Type: String, Default: ApiKey }
        Resources:
          StreamFunction:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: dotnet10
              Code: ../artifacts/lambda/BatchPs.Lambda.zip   # uploaded by the deployer
              Role: !GetAtt Role.Arn
          TriggerStateMachine:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionS3Location: statemachine/trigger.asl.json
              DefinitionSubstitutions:
                TriggerTableName: !Ref TriggerTable
        """;

    private AdminTestContext(FakeAws aws, string folder)
    {
        Aws = aws;
        Folder = folder;
        Directory.CreateDirectory(Path.Combine(folder, "cloudformation", "statemachine"));
        Directory.CreateDirectory(Path.Combine(folder, "artifacts", "lambda"));
        TemplatePath = Path.Combine(folder, "cloudformation", "template.yaml");
        File.WriteAllText(TemplatePath, Template);
        DefinitionPath = Path.Combine(folder, "cloudformation", "statemachine", "trigger.asl.json");
        File.WriteAllText(DefinitionPath, "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}");
        PackagePath = Path.Combine(folder, "artifacts", "lambda", "BatchPs.Lambda.zip");
        File.WriteAllBytes(PackagePath, new byte[] { 0x50, 0x4b, 0x05, 0x06, 1, 2, 3 });
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
