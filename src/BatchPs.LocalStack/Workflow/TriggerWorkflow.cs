using BatchPs.Core.Batch;
using BatchPs.LocalStack.Batch;
using BatchPs.LocalStack.Storage;
using BatchPs.StateMachine.Integrations.Batch;
using BatchPs.LocalStack.DynamoDb;
using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Model;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.LocalStack.Workflow;

/// <summary>
/// The shipped trigger workflow (<c>trigger.asl.json</c>, copied next to the program from
/// <c>cloudformation/statemachine</c>) and the local resources it runs on.
/// </summary>
internal static class TriggerWorkflow
{
    /// <summary>The state machine name in execution ids and <c>$$.StateMachine</c>.</summary>
    public const string StateMachineName = "BatchPsLocalTrigger";

    /// <summary>The definition file next to the program.</summary>
    public static string DefinitionPath => Path.Combine(AppContext.BaseDirectory, TriggerWorkflowDefinition.FileName);

    /// <summary>
    /// The local resources: <c>batch:submitJob.sync</c> on the local Batch, <c>dynamodb:updateItem</c> and
    /// <c>getItem</c> on the trigger records.
    /// </summary>
    public static TaskResourceRegistry Resources(LocalBatch batch, TriggerStore items) => new TaskResourceRegistry()
        .Add(BatchSubmitJobSyncResource.Arn, new BatchSubmitJobSyncResource(new LocalBatchJobService(batch)))
        .Add(DynamoDbUpdateItemResource.Arn, new DynamoDbUpdateItemResource(items))
        .Add(DynamoDbGetItemResource.Arn, new DynamoDbGetItemResource(items));

    /// <summary>The substitutions the local stack gives a definition.</summary>
    public static IReadOnlyDictionary<string, string> Substitutions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TriggerWorkflowDefinition.TriggerTableName] = TriggerStore.TableName,
    };

    /// <summary>Loads the shipped definition; throws <see cref="DefinitionException"/> (or an IO error) when it cannot run.</summary>
    public static StateMachineDefinition Load(TaskResourceRegistry resources) =>
        DefinitionLoader.Load(File.ReadAllText(DefinitionPath), resources, Substitutions);
}
