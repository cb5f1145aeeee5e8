using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Workflow;

/// <summary>Finds catalog entries: a JSON file locally, a DynamoDB table in the cloud.</summary>
public interface IJobCatalog
{
    /// <summary>The entry named <paramref name="jobName"/>, or null when there is none.</summary>
    Task<JobCatalogEntry?> FindAsync(string jobName, CancellationToken cancellationToken);
}

/// <summary>Applies status writes conditionally (forward only): SQLite locally, DynamoDB UpdateItem in the cloud.</summary>
public interface ITriggerStatusWriter
{
    /// <summary>Applies the update; false when the record is already at or past that status (nothing written).</summary>
    Task<bool> ApplyAsync(TriggerUpdate update, CancellationToken cancellationToken);
}

/// <summary>Starts a workflow execution: Step Functions StartExecution in the cloud, the local workflow runner locally.</summary>
public interface IWorkflowStarter
{
    /// <summary>
    /// Starts an execution named <paramref name="executionName"/> with <paramref name="inputJson"/>.
    /// An execution of that name that already exists is not an error: the result says so.
    /// </summary>
    Task<WorkflowStart> StartAsync(string executionName, string inputJson, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IWorkflowStarter.StartAsync"/> did.</summary>
public sealed class WorkflowStart
{
    /// <summary>Creates the result.</summary>
    public WorkflowStart(string executionId, bool alreadyStarted)
    {
        ExecutionId = executionId;
        AlreadyStarted = alreadyStarted;
    }

    /// <summary>The execution's id (Step Functions: the execution ARN).</summary>
    public string ExecutionId { get; }
    /// <summary>True when an execution of that name existed already (a replayed event).</summary>
    public bool AlreadyStarted { get; }
}
