using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using BatchPs.Aws;
using BatchPs.Aws.StepFunctions;
using BatchPs.Core.Batch;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// The Lambda entry point (<c>BatchPs.Lambda::BatchPs.Lambda.Function::HandleAsync</c>, runtime
/// <c>dotnet10</c>): a <c>Stream -> Stream</c> handler. It takes DynamoDB stream batches (answering
/// <c>{"batchItemFailures":[{"itemIdentifier":"SEQ"}]}</c>) and "Batch Job State Change" events.
/// The parameterless constructor wires the real seams from the environment; tests use the other.
/// </summary>
public sealed class Function
{
    private readonly StreamBatchHandler _stream;
    private readonly BatchEventHandler _batchEvents;

    /// <summary>Wires DynamoDB (AWSSDK.DynamoDBv2) and Step Functions (BatchPs.Aws) from the Lambda environment.</summary>
    public Function()
        : this(CreateDefault(out var status, out var cancels), status, Console.Out, cancels)
    {
    }

    /// <summary>Creates the function from its seams; without <paramref name="cancels"/> a MODIFY to CANCELLED is skipped.</summary>
    public Function(TriggerHandler triggers, ITriggerStatusWriter status, TextWriter log, CancelledTriggerHandler? cancels = null)
    {
        _stream = new StreamBatchHandler(triggers, log, cancels: cancels);
        _batchEvents = new BatchEventHandler(status, log);
    }

    /// <summary>Handles one invocation.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var document = await JsonDocument.ParseAsync(input).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array)
        {
            var failures = await _stream.HandleAsync(records, CancellationToken.None).ConfigureAwait(false);
            return Json(new { batchItemFailures = failures.Select(f => new { itemIdentifier = f }).ToArray() });
        }
        if (BatchJobStateChange.Is(root))
        {
            var applied = await _batchEvents.HandleAsync(root, CancellationToken.None).ConfigureAwait(false);
            return Json(new { applied });
        }
        throw new InvalidOperationException("Unsupported event: expected a DynamoDB stream batch (Records) or a \"Batch Job State Change\" event.");
    }

    private static MemoryStream Json(object value) => new(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));

    private static TriggerHandler CreateDefault(out ITriggerStatusWriter status, out CancelledTriggerHandler cancels)
    {
        var dynamo = new AmazonDynamoDBClient();
        status = new DynamoDbTriggerStatusWriter(dynamo, LambdaEnvironment.Required(LambdaEnvironment.TriggerTable), TimeProvider.System);
        var catalog = new DynamoDbJobCatalog(dynamo, LambdaEnvironment.Required(LambdaEnvironment.CatalogTable), TimeProvider.System);
        var stepFunctions = new StepFunctionsClient(AwsClientSettings.FromEnvironment());
        var workflows = new StepFunctionsWorkflowStarter(stepFunctions, LambdaEnvironment.Required(LambdaEnvironment.StateMachineArn));
        cancels = new CancelledTriggerHandler(stepFunctions, LambdaEnvironment.Required(LambdaEnvironment.StateMachineArn));
        return new TriggerHandler(catalog, workflows, status);
    }
}
