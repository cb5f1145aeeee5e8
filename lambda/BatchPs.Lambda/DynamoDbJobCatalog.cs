using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BatchPs.Core.Catalog;
using BatchPs.Core.Json;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// Core's <see cref="IJobCatalog"/> on the catalog table. One item per job:
/// <c>{"name": {"S": "hello"}, "entry": {"S": "{...JobCatalogEntry JSON, camelCase...}"}, "updatedAt": {"S": "..."}}</c>
/// (what <c>Register-BatchTriggerJob</c> puts). An entry that does not validate for AWS Batch
/// (job queue and job definition required) throws <see cref="CatalogException"/>, so the trigger is
/// retried and parked on the on-failure queue rather than rejected for an admin's mistake.
/// Entries are cached for a short time, so a batch of triggers of one job reads the table once.
/// </summary>
public sealed class DynamoDbJobCatalog : IJobCatalog
{
    /// <summary>The key attribute: the job name.</summary>
    public const string NameAttribute = "name";
    /// <summary>The attribute holding the entry's JSON.</summary>
    public const string EntryAttribute = "entry";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly ConcurrentDictionary<string, (JobCatalogEntry? Entry, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the catalog for a table; entries are cached for <paramref name="cacheFor"/> (default 30 s).</summary>
    public DynamoDbJobCatalog(IAmazonDynamoDB dynamo, string table, TimeProvider time, TimeSpan? cacheFor = null)
    {
        _dynamo = dynamo;
        _table = table;
        _time = time;
        _cacheFor = cacheFor ?? TimeSpan.FromSeconds(30);
    }

    /// <inheritdoc />
    public async Task<JobCatalogEntry?> FindAsync(string jobName, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(jobName, out var cached) && now - cached.ReadAt < _cacheFor)
            return cached.Entry;

        var response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue> { [NameAttribute] = new() { S = jobName } },
        }, cancellationToken).ConfigureAwait(false);

        var entry = response.Item is { Count: > 0 } item ? Read(jobName, item) : null;
        _cache[jobName] = (entry, now);
        return entry;
    }

    private JobCatalogEntry Read(string jobName, Dictionary<string, AttributeValue> item)
    {
        var where = $"catalog table '{_table}', item '{jobName}'";
        if (!item.TryGetValue(EntryAttribute, out var json) || json.S is null)
            throw new CatalogException($"The {where} has no '{EntryAttribute}' string attribute holding the entry's JSON. Register the job again.");
        JobCatalogEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<JobCatalogEntry>(json.S, BatchPsJson.Lenient);
        }
        catch (JsonException ex)
        {
            throw new CatalogException($"The {where} is not a valid catalog entry: {ex.Message} Register the job again.", ex);
        }
        if (entry is null || entry.Name != jobName)
            throw new CatalogException($"The {where} holds an entry named '{entry?.Name}', not '{jobName}'. Register the job again.");
        entry.Parameters ??= new Dictionary<string, string?>(StringComparer.Ordinal);
        entry.AllowOverrides ??= new List<string>();
        var problems = JobCatalogRules.Validate(entry, requireCommand: false, requireBatch: true);
        if (problems.Count > 0)
            throw new CatalogException($"The {where} is not valid: {string.Join(" ", problems)}");
        return entry;
    }
}
