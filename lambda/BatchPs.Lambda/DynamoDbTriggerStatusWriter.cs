using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// Core's <see cref="ITriggerStatusWriter"/> on DynamoDB: one conditional UpdateItem per write.
/// The attributes it sets are <see cref="TriggerItem.Sets"/>, the list the local stack's store applies too.
/// A move forward requires <c>statusRank &lt; :statusRank</c> (and stamps <c>statusChangedAt</c>); when that
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
        var now = _time.GetUtcNow();
        if (await TryUpdateAsync(BuildRequest(update, now, forward: true), cancellationToken).ConfigureAwait(false))
            return true;
        if (TriggerStatusOrder.IsFinal(update.Status))
            return false;
        return await TryUpdateAsync(BuildRequest(update, now, forward: false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The UpdateItem request of a write: one <c>SET</c> per attribute of <see cref="TriggerItem.Sets"/>, and the version bump.</summary>
    internal UpdateItemRequest BuildRequest(TriggerUpdate update, DateTimeOffset now, bool forward)
    {
        var names = new Dictionary<string, string>
        {
            ["#" + TriggerItem.TriggerId] = TriggerItem.TriggerId,
            ["#" + TriggerItem.Version] = TriggerItem.Version,
        };
        var values = new Dictionary<string, AttributeValue> { [":one"] = new() { N = "1" } };
        var set = new List<string>();
        foreach (var (attribute, value) in TriggerItem.Sets(update, now, statusMoves: forward))
        {
            names["#" + attribute] = attribute;
            values[":" + attribute] = AttributeValueJson.ToAttributeValue(value);
            set.Add($"#{attribute} = :{attribute}");
        }
        return new UpdateItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue> { [TriggerItem.TriggerId] = new() { S = update.TriggerId } },
            UpdateExpression = $"SET {string.Join(", ", set)} ADD #{TriggerItem.Version} :one",
            ConditionExpression = forward
                ? $"attribute_exists(#{TriggerItem.TriggerId}) AND #{TriggerItem.StatusRank} < :{TriggerItem.StatusRank}"
                : $"attribute_exists(#{TriggerItem.TriggerId}) AND #{TriggerItem.Status} = :{TriggerItem.Status}",
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

}
