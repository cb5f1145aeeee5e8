using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// Core's <see cref="ITriggerStatusWriter"/> on DynamoDB: one conditional UpdateItem per write.
/// A move forward requires <c>statusRank &lt; :rank</c> (and stamps <c>statusChangedAt</c>); when that
/// fails, a refresh of the same non-final status (new RUNNABLE reason, array counts) requires
/// <c>status = :status</c> and keeps <c>statusChangedAt</c>, so "time in RUNNABLE" stays true.
/// Every write bumps <c>version</c>. A record that is missing or past the status is left alone.
/// </summary>
public sealed class DynamoDbTriggerStatusWriter : ITriggerStatusWriter
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeProvider _time;

    /// <summary>Creates the writer for a trigger table.</summary>
    public DynamoDbTriggerStatusWriter(IAmazonDynamoDB dynamo, string table, TimeProvider time)
    {
        _dynamo = dynamo;
        _table = table;
        _time = time;
    }

    /// <inheritdoc />
    public async Task<bool> ApplyAsync(TriggerUpdate update, CancellationToken cancellationToken)
    {
        var now = TriggerItemFormat.FormatTime(_time.GetUtcNow());
        if (await TryUpdateAsync(BuildRequest(update, now, forward: true), cancellationToken).ConfigureAwait(false))
            return true;
        if (TriggerStatusOrder.IsFinal(update.Status))
            return false;
        return await TryUpdateAsync(BuildRequest(update, now, forward: false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The UpdateItem request of a write (exposed for tests and documentation).</summary>
    internal UpdateItemRequest BuildRequest(TriggerUpdate update, string now, bool forward)
    {
        var names = new Dictionary<string, string>
        {
            ["#triggerId"] = "triggerId",
            ["#status"] = "status",
            ["#updatedAt"] = "updatedAt",
            ["#version"] = "version",
        };
        var values = new Dictionary<string, AttributeValue>
        {
            [":status"] = new() { S = update.Status.ToString() },
            [":now"] = new() { S = now },
            [":one"] = new() { N = "1" },
        };
        var set = new List<string> { "#status = :status", "#updatedAt = :now" };
        if (forward)
        {
            names["#rank"] = TriggerItemFormat.StatusRank;
            names["#statusChangedAt"] = "statusChangedAt";
            values[":rank"] = Number(TriggerStatusOrder.Rank(update.Status));
            set.Add("#rank = :rank");
            set.Add("#statusChangedAt = :now");
        }

        void Set(string attribute, AttributeValue? value)
        {
            if (value is null) return;
            names["#" + attribute] = attribute;
            values[":" + attribute] = value;
            set.Add($"#{attribute} = :{attribute}");
        }

        Set("statusReason", update.StatusReason is null ? null : new AttributeValue { S = update.StatusReason });
        Set("executionId", update.ExecutionId is null ? null : new AttributeValue { S = update.ExecutionId });
        Set("batchJobId", update.BatchJobId is null ? null : new AttributeValue { S = update.BatchJobId });
        Set("exitCode", update.ExitCode is null ? null : Number(update.ExitCode.Value));
        Set("logLocation", update.LogLocation is null ? null : new AttributeValue { S = update.LogLocation });
        Set("startedAt", update.StartedAt is null ? null : new AttributeValue { S = TriggerItemFormat.FormatTime(update.StartedAt.Value) });
        Set("stoppedAt", update.StoppedAt is null ? null : new AttributeValue { S = TriggerItemFormat.FormatTime(update.StoppedAt.Value) });
        Set("attempts", update.Attempts is null ? null : Number(update.Attempts.Value));
        Set("arrayStatusSummary", update.ArrayStatusSummary is null ? null : new AttributeValue
        {
            M = update.ArrayStatusSummary.ToDictionary(c => c.Key, c => Number(c.Value)),
        });

        return new UpdateItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue> { ["triggerId"] = new() { S = update.TriggerId } },
            UpdateExpression = "SET " + string.Join(", ", set) + " ADD #version :one",
            ConditionExpression = forward ? "attribute_exists(#triggerId) AND #rank < :rank" : "attribute_exists(#triggerId) AND #status = :status",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }

    private async Task<bool> TryUpdateAsync(UpdateItemRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
