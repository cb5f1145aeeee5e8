using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;

namespace BatchPs.Lambda;

/// <summary>
/// The read function's DynamoDB reads: one record (a consistent GetItem) and <c>GET /triggers</c>, a Query of a list
/// index (<see cref="TriggerItem.JobIndex"/> for one job, else <see cref="TriggerItem.AllIndex"/>), newest first
/// (ScanIndexForward false) on the sort key <see cref="TriggerItem.CreatedKey"/> (<c>createdAt|triggerId</c>, so ties are
/// ordered by id, descending). <c>since</c>/<c>until</c> are the key condition; <c>status</c> and <c>client</c> a
/// FilterExpression, which DynamoDB applies after its Limit. One request makes up to <see cref="MaxQueries"/> Queries to
/// fill the page, then answers what it has with a nextToken (the LastEvaluatedKey, bound to the filters by Core's
/// <see cref="TriggerListQuery"/>): a page may hold fewer than <c>limit</c> triggers while more follow.
/// The cloud writes <c>createdAt</c> to the second (the POST mapping template), so the time bounds are whole seconds.
/// </summary>
public sealed class DynamoDbTriggerReader
{
    /// <summary>The most Queries one list request makes.</summary>
    public const int MaxQueries = 10;

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    /// <summary>Creates the reader of a trigger table.</summary>
    public DynamoDbTriggerReader(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    /// <summary>The record of a trigger; null when there is none (or the id cannot be a key).</summary>
    public async Task<TriggerRecord?> FindAsync(string triggerId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(triggerId) || triggerId.Length > 1024) return null;
        var response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue> { [TriggerItem.TriggerId] = new() { S = triggerId } },
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? TriggerItem.ToRecord(AttributeValueJson.FromItem(item)) : null;
    }

    /// <summary>One page of the list; the 400 when the token does not continue this query.</summary>
    public async Task<(TriggerListPage? Page, ApiError? Error)> ListAsync(TriggerListQuery query, CancellationToken cancellationToken)
    {
        var page = new TriggerListPage();
        var since = query.Since is { } s ? WholeSecondAtOrAfter(s) : null;
        var until = query.Until is { } u ? WholeSecondAtOrAfter(u) : null;
        if (since is not null && until is not null && string.CompareOrdinal(since, until) >= 0) return (page, null); // an empty range

        var byJob = query.JobName is not null;
        var partition = byJob ? "jobName" : TriggerItem.ListPartition;
        var names = new Dictionary<string, string> { ["#p"] = partition };
        if (since is not null || until is not null) names["#k"] = TriggerItem.CreatedKey; // DynamoDB refuses a name no expression uses
        var values = new Dictionary<string, AttributeValue> { [":p"] = new() { S = byJob ? query.JobName : TriggerItem.ListPartitionValue } };
        var keyCondition = "#p = :p";
        if (since is not null && until is not null)
        {
            // createdKey is createdAt|id: every key of a trigger created in second `until` sorts after "until" itself.
            keyCondition += " AND #k BETWEEN :since AND :until";
            values[":since"] = new() { S = since };
            values[":until"] = new() { S = until };
        }
        else if (since is not null)
        {
            keyCondition += " AND #k >= :since";
            values[":since"] = new() { S = since };
        }
        else if (until is not null)
        {
            keyCondition += " AND #k < :until";
            values[":until"] = new() { S = until };
        }
        var filters = new List<string>();
        if (query.Statuses.Count > 0)
        {
            names["#status"] = TriggerItem.Status;
            for (var i = 0; i < query.Statuses.Count; i++) values[$":s{i}"] = new() { S = query.Statuses[i].ToString() };
            filters.Add($"#status IN ({string.Join(", ", query.Statuses.Select((_, i) => $":s{i}"))})");
        }
        if (query.Client is not null)
        {
            names["#client"] = "client";
            values[":client"] = new() { S = query.Client };
            filters.Add("#client = :client");
        }

        Dictionary<string, AttributeValue>? start = null;
        if (query.Position is not null)
        {
            start = StartKey(query.Position, partition);
            if (start is null) return (null, TriggerListQuery.InvalidToken());
        }
        for (var call = 0; call < MaxQueries && page.Triggers.Count < query.Limit; call++)
        {
            var request = new QueryRequest
            {
                TableName = _table,
                IndexName = byJob ? TriggerItem.JobIndex : TriggerItem.AllIndex,
                KeyConditionExpression = keyCondition,
                FilterExpression = filters.Count > 0 ? string.Join(" AND ", filters) : null,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ScanIndexForward = false,
                Limit = query.Limit - page.Triggers.Count,
                ExclusiveStartKey = start,
            };
            QueryResponse response;
            try
            {
                response = await _dynamo.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonDynamoDBException ex) when (start is not null && ex.ErrorCode == "ValidationException")
            {
                return (null, TriggerListQuery.InvalidToken());
            }
            foreach (var item in response.Items ?? new List<Dictionary<string, AttributeValue>>())
                page.Triggers.Add(TriggerItem.ToRecord(AttributeValueJson.FromItem(item)));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            if (start is null) break;
        }
        page.NextToken = start is null ? null : query.EncodeToken(new JsonObject { ["k"] = AttributeValueJson.FromItem(start) });
        return (page, null);
    }

    /// <summary>The LastEvaluatedKey a token holds: the table key and the index keys, string values only; null when it is not one.</summary>
    private static Dictionary<string, AttributeValue>? StartKey(JsonObject position, string partition)
    {
        if (position["k"] is not JsonObject key || key.Count != 3) return null;
        var start = new Dictionary<string, AttributeValue>();
        foreach (var name in new[] { TriggerItem.TriggerId, partition, TriggerItem.CreatedKey })
        {
            if (key[name] is not JsonObject { Count: 1 } value || value["S"] is not JsonValue text || !text.TryGetValue<string>(out var s) || s.Length == 0) return null;
            start[name] = new AttributeValue { S = s };
        }
        return start;
    }

    /// <summary>The first whole second at or after <paramref name="time"/>, as the item stores times (<c>2026-11-24T07:12:47Z</c>).</summary>
    internal static string WholeSecondAtOrAfter(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var whole = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        if (whole < utc) whole = whole.AddSeconds(1);
        return whole.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
