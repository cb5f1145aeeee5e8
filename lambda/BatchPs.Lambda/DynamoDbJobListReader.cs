using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BatchPs.Core.Api;
using BatchPs.Core.Catalog;
using BatchPs.Core.Json;

namespace BatchPs.Lambda;

/// <summary>
/// <c>GET /jobs</c> in the cloud: every page of a Scan of the catalog table (its <c>name</c> and <c>entry</c> attributes,
/// as <c>Register-BatchTriggerJob</c> puts them), each entry shown through Core's <see cref="JobSummary"/> (the one place
/// that decides what a caller may see) and sorted by <see cref="JobList"/>. An item whose entry does not read as a
/// catalog entry of its name is left out and named in the function's log: the list shows what can be started.
/// </summary>
public sealed class DynamoDbJobListReader
{
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TextWriter _log;

    /// <summary>Creates the reader of a catalog table.</summary>
    public DynamoDbJobListReader(IAmazonDynamoDB dynamo, string table, TextWriter log)
    {
        _dynamo = dynamo;
        _table = table;
        _log = log;
    }

    /// <summary>The catalog's public list.</summary>
    public async Task<JobList> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<JobCatalogEntry>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await _dynamo.ScanAsync(new ScanRequest
            {
                TableName = _table,
                ProjectionExpression = "#name, #entry",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#name"] = "name", ["#entry"] = "entry" },
                ExclusiveStartKey = start,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? new List<Dictionary<string, AttributeValue>>())
            {
                if (Read(item) is { } entry) entries.Add(entry);
            }
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return JobList.From(entries);
    }

    private JobCatalogEntry? Read(Dictionary<string, AttributeValue> item)
    {
        var name = item.TryGetValue("name", out var n) ? n.S : null;
        try
        {
            if (item.TryGetValue("entry", out var json) && json.S is not null
                && JsonSerializer.Deserialize<JobCatalogEntry>(json.S, BatchPsJson.Lenient) is { } entry && entry.Name == name)
            {
                entry.Parameters ??= new Dictionary<string, string?>(StringComparer.Ordinal);
                entry.AllowOverrides ??= new List<string>();
                return entry;
            }
        }
        catch (JsonException)
        {
        }
        _log.WriteLine($"GET /jobs left out catalog item '{name}': its 'entry' is not a catalog entry of that name. Register the job again.");
        return null;
    }
}
