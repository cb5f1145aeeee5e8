using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using BatchPs.Admin.Aws;
using BatchPs.Admin.Aws.CloudFormation;
using BatchPs.Admin.Stacks;
using BatchPs.Core.Catalog;
using BatchPs.Core.Json;

namespace BatchPs.Admin.Catalog;

/// <summary>
/// The cloud job catalog: the DynamoDB table the stream Lambda reads (output <c>CatalogTableName</c> of
/// the stack). One item per job — <c>name</c> (key), <c>entry</c> (the <see cref="JobCatalogEntry"/> as
/// BatchPs JSON) and <c>updatedAt</c> — the format documented in cloudformation/README.md. Entries are
/// validated for AWS Batch before anything is written.
/// </summary>
public sealed class JobCatalogAdmin : IDisposable
{
    internal const string NameAttribute = "name";
    internal const string EntryAttribute = "entry";
    internal const string UpdatedAtAttribute = "updatedAt";

    private readonly AmazonDynamoDBClient _dynamo;
    private readonly CloudFormationClient _cloudFormation;

    /// <summary>Resolves credentials and region (throws <see cref="AwsCredentialException"/> when there are none).</summary>
    public JobCatalogAdmin(AwsConnectionOptions options, RetrySettings? retry = null)
    {
        retry ??= new RetrySettings();
        var session = AwsSessionResolver.Resolve(options);
        _dynamo = new AmazonDynamoDBClient(session.Credentials, session.Configure(new AmazonDynamoDBConfig
        {
            MaxErrorRetry = retry.MaxAttempts - 1,
            Timeout = retry.AttemptTimeout,
        }));
        _cloudFormation = new CloudFormationClient(session, retry);
        ConnectionDescription = session.ToString();
    }

    /// <summary>Where the credentials and region came from (no secrets).</summary>
    public string ConnectionDescription { get; }

    /// <summary><paramref name="tableName"/> when given, else the catalog table of stack <paramref name="stackName"/>.</summary>
    public async Task<string> ResolveTableAsync(string? tableName, string stackName, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(tableName)) return tableName!;
        var stack = await _cloudFormation.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false)
            ?? throw new StackOperationException($"Stack {stackName} does not exist in this region; deploy it with Deploy-BatchTriggerStack, or pass -StackName / -Region / -TableName.", stackName, null);
        return stack.CatalogTableName
            ?? throw new StackOperationException($"Stack {stackName} ({stack.Status}) has no {StackOutputNames.CatalogTableName} output; is it a BatchPs stack, and did its deployment finish?", stackName, stack.Status);
    }

    /// <summary>
    /// Writes <paramref name="entry"/>. Throws <see cref="ArgumentException"/> listing every problem of an invalid
    /// entry, and <see cref="InvalidOperationException"/> when the job exists and <paramref name="replace"/> is false.
    /// </summary>
    public async Task RegisterAsync(string tableName, JobCatalogEntry entry, bool replace, CancellationToken cancellationToken)
    {
        var problems = JobCatalogRules.Validate(entry, requireCommand: false, requireBatch: true);
        if (problems.Count > 0)
            throw new ArgumentException($"Job '{entry.Name}' is not a valid catalog entry: {string.Join(" ", problems)}", nameof(entry));
        var request = new PutItemRequest
        {
            TableName = tableName,
            Item = new Dictionary<string, AttributeValue>
            {
                [NameAttribute] = new() { S = entry.Name },
                [EntryAttribute] = new() { S = JsonSerializer.Serialize(entry, BatchPsJson.Options) },
                [UpdatedAtAttribute] = new() { S = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture) },
            },
        };
        if (!replace)
        {
            request.ConditionExpression = "attribute_not_exists(#name)";
            request.ExpressionAttributeNames = new Dictionary<string, string> { ["#name"] = NameAttribute };
        }
        try
        {
            await _dynamo.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException ex)
        {
            throw new InvalidOperationException($"Job '{entry.Name}' is already registered in {tableName}; pass -Force to replace it.", ex);
        }
        catch (AmazonDynamoDBException ex)
        {
            throw Wrap(ex, tableName);
        }
    }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public async Task<JobCatalogEntry?> GetAsync(string tableName, string name, CancellationToken cancellationToken)
    {
        GetItemResponse response;
        try
        {
            response = await _dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = tableName,
                Key = new Dictionary<string, AttributeValue> { [NameAttribute] = new() { S = name } },
                ConsistentRead = true,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonDynamoDBException ex)
        {
            throw Wrap(ex, tableName);
        }
        if (response.Item is not { Count: > 0 } item) return null;
        var entry = Read(item, out var problem);
        return entry ?? throw new InvalidDataException($"Catalog table {tableName}: {problem}");
    }

    /// <summary>Every entry (all pages of a Scan), sorted by name.</summary>
    public async Task<CatalogListing> ListAsync(string tableName, CancellationToken cancellationToken)
    {
        var entries = new List<JobCatalogEntry>();
        var problems = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            ScanResponse page;
            try
            {
                page = await _dynamo.ScanAsync(new ScanRequest { TableName = tableName, ExclusiveStartKey = start, ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonDynamoDBException ex)
            {
                throw Wrap(ex, tableName);
            }
            foreach (var item in page.Items ?? new List<Dictionary<string, AttributeValue>>())
            {
                var entry = Read(item, out var problem);
                if (entry is null) problems.Add(problem!);
                else entries.Add(entry);
            }
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return new CatalogListing(entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList(), problems);
    }

    /// <summary>Deletes the entry; returns what it held (null when there was no such job, or its item was unreadable).</summary>
    public async Task<(bool Removed, JobCatalogEntry? Entry)> UnregisterAsync(string tableName, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = tableName,
                Key = new Dictionary<string, AttributeValue> { [NameAttribute] = new() { S = name } },
                ReturnValues = ReturnValue.ALL_OLD,
            }, cancellationToken).ConfigureAwait(false);
            return response.Attributes is { Count: > 0 } old ? (true, Read(old, out _)) : (false, null);
        }
        catch (AmazonDynamoDBException ex)
        {
            throw Wrap(ex, tableName);
        }
    }

    private static JobCatalogEntry? Read(Dictionary<string, AttributeValue> item, out string? problem)
    {
        var name = item.TryGetValue(NameAttribute, out var key) ? key.S : "?";
        problem = null;
        if (!item.TryGetValue(EntryAttribute, out var json) || json.S is null)
        {
            problem = $"item '{name}' has no '{EntryAttribute}' attribute; register the job again with Register-BatchTriggerJob.";
            return null;
        }
        try
        {
            var entry = JsonSerializer.Deserialize<JobCatalogEntry>(json.S, BatchPsJson.Lenient);
            if (entry is not null && entry.Name == name) return entry;
            problem = $"item '{name}' holds an entry named '{entry?.Name}'; register the job again.";
        }
        catch (JsonException ex)
        {
            problem = $"item '{name}' is not a valid catalog entry ({ex.Message}); register the job again.";
        }
        return null;
    }

    private static AwsRequestException Wrap(AmazonDynamoDBException ex, string tableName)
    {
        var message = ex is ResourceNotFoundException
            ? $"Catalog table {tableName} does not exist in this region; check -StackName/-TableName and -Region."
            : ex.Message;
        return new AwsRequestException("dynamodb", ex.ErrorCode ?? ex.GetType().Name, message, ex.StatusCode, ex.RequestId, ex);
    }

    /// <summary>Releases the clients.</summary>
    public void Dispose()
    {
        _dynamo.Dispose();
        _cloudFormation.Dispose();
    }
}
