using System.Text;
using System.Text.Json.Nodes;
using BatchPs.LocalStack.DynamoDb;
using BatchPs.StateMachine.Errors;
using BatchPs.TestSupport.SigV4;
using Microsoft.AspNetCore.Http;

namespace BatchPs.TestSupport.Aws;

/// <summary>
/// DynamoDB's JSON 1.0 API (<c>DynamoDB_20120810</c>) over in-memory tables keyed by one string attribute:
/// GetItem, UpdateItem, PutItem (with a ConditionExpression), DeleteItem (<c>ALL_OLD</c>), Scan (paged
/// <see cref="ScanPageSize"/> items at a time, with LastEvaluatedKey, so a client's paging is exercised) and Query of a
/// global secondary index (<see cref="FakeDynamoDbTable.Indexes"/>, projection ALL; see <see cref="Query"/>). Condition and
/// update expressions are evaluated by the local stack's DynamoDB emulator, not by a second copy, and answered as the
/// DynamoDB API reference does: ConditionalCheckFailedException (400) when a condition fails, ValidationException
/// (400) for a malformed request or a name or value that is missing or unused, ResourceNotFoundException (400) for an
/// unknown table. Served on its own (<see cref="StartAsync"/>, every request's SigV4 signature verified) or behind
/// <see cref="FakeAws"/> (<see cref="Handle"/>).
/// </summary>
public sealed class FakeDynamoDb : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";

    private readonly object _gate = new();
    private LoopbackServer? _server;
    private int _requests;

    public FakeDynamoDb(params (string Table, string Key)[] tables)
    {
        foreach (var (table, key) in tables) Tables[table] = new FakeDynamoDbTable(key);
    }

    /// <summary>The tables by name; a test may read and change them (under no concurrent request).</summary>
    public Dictionary<string, FakeDynamoDbTable> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>How many items one Scan page holds (DynamoDB stops at 1 MB; the fake stops early so paging is exercised).</summary>
    public int ScanPageSize { get; set; } = 2;

    public Uri Endpoint => _server?.Address ?? throw new InvalidOperationException("The fake is not served on its own; call StartAsync.");
    public int Requests => _requests;
    public System.Collections.Concurrent.ConcurrentQueue<string> Rejections { get; } = new();

    /// <summary>Serves the tables on a loopback port, verifying each request's signature for service <c>dynamodb</c>.</summary>
    public static async Task<FakeDynamoDb> StartAsync(params (string Table, string Key)[] tables)
    {
        var fake = new FakeDynamoDb(tables);
        fake._server = await LoopbackServer.StartAsync(fake.ServeAsync);
        return fake;
    }

    public void Put(string table, JsonObject item)
    {
        lock (_gate) Tables[table].Put(item);
    }

    public JsonObject? Get(string table, string key)
    {
        lock (_gate) return Tables[table].TryGetValue(key, out var item) ? (JsonObject)item.DeepClone() : null;
    }

    private async Task ServeAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var body = await LoopbackServer.ReadBodyAsync(context);
        var check = SigV4Verifier.Verify(new SigV4Verifier.Request(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", LoopbackServer.Headers(context), body),
            SecretKey, normalizePath: false, Region, "dynamodb");
        var (status, json) = check.Valid
            ? Handle(context.Request.Headers["X-Amz-Target"].ToString(), body)
            : Rejected(check.Problem);
        await WriteAsync(context, status, json);
    }

    private (int, string) Rejected(string problem)
    {
        Rejections.Enqueue(problem);
        return Error("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
    }

    /// <summary>Answers one request: <paramref name="target"/> is the X-Amz-Target header (<c>DynamoDB_20120810.GetItem</c>).</summary>
    public (int Status, string Json) Handle(string target, byte[] body)
    {
        var operation = target.StartsWith("DynamoDB_20120810.", StringComparison.Ordinal) ? target["DynamoDB_20120810.".Length..] : "";
        try
        {
            var request = JsonNode.Parse(body) as JsonObject ?? throw new DynamoException("SerializationException", "The request body is not a JSON object.");
            var tableName = request["TableName"]?.GetValue<string>() ?? throw new DynamoException("ValidationException", "TableName is required.");
            lock (_gate)
            {
                if (!Tables.TryGetValue(tableName, out var table))
                    throw new DynamoException("ResourceNotFoundException", "Requested resource not found");
                if (operation is "GetItem" or "UpdateItem" or "DeleteItem" && request["Key"]?[table.KeyName]?["S"] is null)
                    throw new DynamoException("ValidationException", "The provided key element does not match the schema");
                var answer = operation switch
                {
                    "GetItem" => DynamoDbGetItem.Respond(request, table.Find(request["Key"])),
                    "UpdateItem" => UpdateItem(table, request),
                    "PutItem" => PutItem(table, request),
                    "DeleteItem" => DeleteItem(table, request),
                    "Scan" => Scan(table, request),
                    "Query" => Query(table, request),
                    _ => throw new DynamoException("UnknownOperationException", "Unknown operation " + target),
                };
                return (200, answer.ToJsonString());
            }
        }
        catch (StatesErrorException ex)
        {
            // The emulator names its errors as Step Functions does (DynamoDB.{exception}); the API names them bare.
            var code = ex.Error == DynamoDbErrors.ConditionalCheckFailed ? "ConditionalCheckFailedException" : "ValidationException";
            var message = ex.Cause ?? ex.Error;
            var service = message.IndexOf(" (Service: ", StringComparison.Ordinal);
            return Error(code, service > 0 ? message[..service] : message);
        }
        catch (DynamoException ex)
        {
            return Error(ex.Code, ex.Message);
        }
    }

    private static JsonObject UpdateItem(FakeDynamoDbTable table, JsonObject request)
    {
        var result = DynamoDbUpdateItem.Apply(request, table.Find(request["Key"]));
        table.Put(result.Item);
        return result.Response;
    }

    private static JsonObject PutItem(FakeDynamoDbTable table, JsonObject request)
    {
        var item = request["Item"] as JsonObject ?? throw new DynamoException("ValidationException", "Item is required.");
        if (item[table.KeyName]?["S"] is null)
            throw new DynamoException("ValidationException", $"One or more parameter values were invalid: Missing the key {table.KeyName} in the item");
        var key = new JsonObject { [table.KeyName] = item[table.KeyName]!.DeepClone() };
        var current = table.Find(key);
        if (request["ConditionExpression"] is not null)
        {
            // The condition, with the names and values it uses, is evaluated as an UpdateItem's would be.
            var check = new JsonObject { ["TableName"] = request["TableName"]!.DeepClone(), ["Key"] = key };
            foreach (var field in new[] { "ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues" })
                if (request[field] is { } value) check[field] = value.DeepClone();
            DynamoDbUpdateItem.Apply(check, current);
        }
        table.Put(item);
        return request["ReturnValues"]?.GetValue<string>() == "ALL_OLD" && current is not null ? new JsonObject { ["Attributes"] = current.DeepClone() } : new JsonObject();
    }

    private static JsonObject DeleteItem(FakeDynamoDbTable table, JsonObject request)
    {
        var old = table.Find(request["Key"]);
        if (old is not null) table.Remove(old[table.KeyName]!["S"]!.GetValue<string>());
        return request["ReturnValues"]?.GetValue<string>() == "ALL_OLD" && old is not null ? new JsonObject { ["Attributes"] = old.DeepClone() } : new JsonObject();
    }

    private JsonObject Scan(FakeDynamoDbTable table, JsonObject request)
    {
        var after = request["ExclusiveStartKey"]?[table.KeyName]?["S"]?.GetValue<string>();
        var page = table.Where(p => after is null || string.CompareOrdinal(p.Key, after) > 0).Take(ScanPageSize).ToList();
        var response = new JsonObject
        {
            ["Count"] = page.Count,
            ["ScannedCount"] = page.Count,
            ["Items"] = new JsonArray(page.Select(p => (JsonNode)p.Value.DeepClone()).ToArray()),
        };
        if (page.Count == ScanPageSize && table.Keys.Any(k => string.CompareOrdinal(k, page[^1].Key) > 0))
            response["LastEvaluatedKey"] = new JsonObject { [table.KeyName] = new JsonObject { ["S"] = page[^1].Key } };
        return response;
    }

    private static readonly System.Text.RegularExpressions.Regex NamePlaceholder = new("#[A-Za-z0-9_]+");
    private static readonly System.Text.RegularExpressions.Regex ValuePlaceholder = new(":[A-Za-z0-9_]+");

    /// <summary>
    /// Query of a global secondary index as the API reference describes it: the KeyConditionExpression (which must name the
    /// index's partition key) selects items that have both index keys; they are read in sort key order
    /// (<c>ScanIndexForward</c> false: descending), starting after <c>ExclusiveStartKey</c>; <c>Limit</c> caps the items
    /// read (ScannedCount), and the FilterExpression, which may not name an index key, is applied after the limit, so a
    /// page can hold fewer items. When the read stopped at the limit, LastEvaluatedKey (the table key and the index keys of
    /// the last item read) is returned, even if no item follows. Every expression attribute name and value must be used.
    /// Conditions are evaluated by the local stack's DynamoDB emulator.
    /// </summary>
    private static JsonObject Query(FakeDynamoDbTable table, JsonObject request)
    {
        var indexName = request["IndexName"]?.GetValue<string>() ?? throw new DynamoException("ValidationException", "The fake queries global secondary indexes only: IndexName is required.");
        if (!table.Indexes.TryGetValue(indexName, out var index))
            throw new DynamoException("ValidationException", $"The table does not have the specified index: {indexName}");
        var keyCondition = request["KeyConditionExpression"]?.GetValue<string>()
            ?? throw new DynamoException("ValidationException", "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        var filter = request["FilterExpression"]?.GetValue<string>();
        var names = request["ExpressionAttributeNames"] as JsonObject ?? new JsonObject();
        var values = request["ExpressionAttributeValues"] as JsonObject ?? new JsonObject();
        var used = keyCondition + " " + filter + " " + request["ProjectionExpression"]?.GetValue<string>();
        foreach (var name in names.Select(n => n.Key).Where(n => !used.Contains(n, StringComparison.Ordinal)))
            throw new DynamoException("ValidationException", $"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{name}}}");
        foreach (var value in values.Select(v => v.Key).Where(v => !ValuePlaceholder.Matches(used).Any(m => m.Value == v)))
            throw new DynamoException("ValidationException", $"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{value}}}");
        string Resolve(string placeholder) => names[placeholder]?.GetValue<string>() ?? throw new DynamoException("ValidationException", $"An expression attribute name used in the document path is not defined; attribute name: {placeholder}");
        if (!NamePlaceholder.Matches(keyCondition).Select(m => Resolve(m.Value)).Contains(index.Partition))
            throw new DynamoException("ValidationException", $"Query condition missed key schema element: {index.Partition}");
        if (filter is not null && NamePlaceholder.Matches(filter).Select(m => Resolve(m.Value)).FirstOrDefault(a => a == index.Partition || a == index.Sort) is { } keyAttribute)
            throw new DynamoException("ValidationException", $"Filter Expression can only contain non-primary key attributes: Primary key attribute: {keyAttribute}");

        var forward = request["ScanIndexForward"]?.GetValue<bool>() ?? true;
        var limit = request["Limit"]?.GetValue<int>();
        if (limit is < 1) throw new DynamoException("ValidationException", "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        (string Sort, string Key) Position(JsonObject item) => (item[index.Sort]!["S"]!.GetValue<string>(), item[table.KeyName]!["S"]!.GetValue<string>());
        int Compare((string Sort, string Key) a, (string Sort, string Key) b)
        {
            var order = string.CompareOrdinal(a.Sort, b.Sort);
            if (order == 0) order = string.CompareOrdinal(a.Key, b.Key);
            return forward ? order : -order;
        }
        var candidates = table.Values.Where(i => i[index.Partition]?["S"] is not null && i[index.Sort]?["S"] is not null).ToList();
        candidates.Sort((a, b) => Compare(Position(a), Position(b)));
        if (request["ExclusiveStartKey"] is JsonObject start)
        {
            if (start.Count != 3 || start[table.KeyName]?["S"] is null || start[index.Partition]?["S"] is null || start[index.Sort]?["S"] is null)
                throw new DynamoException("ValidationException", "The provided starting key is invalid: The provided key element does not match the schema");
            var after = Position(start);
            candidates = candidates.Where(i => Compare(Position(i), after) > 0).ToList();
        }

        var evaluated = new List<JsonObject>();
        foreach (var item in candidates)
        {
            if (limit is int max && evaluated.Count == max) break;
            if (Matches(item, table.KeyName, keyCondition, names, values)) evaluated.Add(item);
        }
        var matching = filter is null ? evaluated : evaluated.Where(i => Matches(i, table.KeyName, filter, names, values)).ToList();
        var response = new JsonObject
        {
            ["Count"] = matching.Count,
            ["ScannedCount"] = evaluated.Count,
            ["Items"] = new JsonArray(matching.Select(i => (JsonNode)i.DeepClone()).ToArray()),
        };
        if (limit is int l && evaluated.Count == l)
        {
            var last = evaluated[^1];
            response["LastEvaluatedKey"] = new JsonObject
            {
                [table.KeyName] = last[table.KeyName]!.DeepClone(),
                [index.Partition] = last[index.Partition]!.DeepClone(),
                [index.Sort] = last[index.Sort]!.DeepClone(),
            };
        }
        return response;
    }

    /// <summary>Whether <paramref name="item"/> meets <paramref name="expression"/>: the emulator's condition check, given only the names and values it uses.</summary>
    private static bool Matches(JsonObject item, string keyName, string expression, JsonObject names, JsonObject values)
    {
        var check = new JsonObject
        {
            ["TableName"] = "query",
            ["Key"] = new JsonObject { [keyName] = item[keyName]!.DeepClone() },
            ["ConditionExpression"] = expression,
            ["ExpressionAttributeNames"] = new JsonObject(names.Where(n => expression.Contains(n.Key, StringComparison.Ordinal)).Select(n => new KeyValuePair<string, JsonNode?>(n.Key, n.Value!.DeepClone()))),
            ["ExpressionAttributeValues"] = new JsonObject(values.Where(v => ValuePlaceholder.Matches(expression).Any(m => m.Value == v.Key)).Select(v => new KeyValuePair<string, JsonNode?>(v.Key, v.Value!.DeepClone()))),
        };
        try
        {
            DynamoDbUpdateItem.Apply(check, item);
            return true;
        }
        catch (StatesErrorException ex) when (ex.Error == DynamoDbErrors.ConditionalCheckFailed)
        {
            return false;
        }
    }

    private static (int, string) Error(string code, string message) =>
        (400, new JsonObject { ["__type"] = "com.amazonaws.dynamodb.v20120810#" + code, ["message"] = message }.ToJsonString());

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private sealed class DynamoException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}

/// <summary>One table of <see cref="FakeDynamoDb"/>: items in DynamoDB JSON by the string value of their key attribute, in key order.</summary>
public sealed class FakeDynamoDbTable(string keyName) : SortedDictionary<string, JsonObject>(StringComparer.Ordinal)
{
    /// <summary>The table's partition key (a string attribute).</summary>
    public string KeyName { get; } = keyName;

    /// <summary>Global secondary indexes by name (string partition and sort keys, projection ALL): Query reads them.</summary>
    public Dictionary<string, (string Partition, string Sort)> Indexes { get; } = new(StringComparer.Ordinal);

    /// <summary>The item a request's <c>Key</c> names, or null.</summary>
    public JsonObject? Find(JsonNode? key)
    {
        var value = key?[KeyName]?["S"]?.GetValue<string>();
        return value is not null && TryGetValue(value, out var item) ? item : null;
    }

    /// <summary>Stores a copy of <paramref name="item"/> under its key.</summary>
    public void Put(JsonObject item) => this[item[KeyName]!["S"]!.GetValue<string>()] = (JsonObject)item.DeepClone();
}
