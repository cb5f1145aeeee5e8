using System.Text.Json.Nodes;

namespace BatchPs.Admin.Tests.Fakes;

/// <summary>
/// DynamoDB's JSON 1.0 API (PutItem with <c>attribute_not_exists</c>, GetItem, Scan paged two items at a time,
/// DeleteItem with <c>ALL_OLD</c>) for tables keyed by the string attribute <c>name</c>.
/// </summary>
internal sealed class FakeDynamoDb
{
    private readonly object _gate = new();

    public Dictionary<string, SortedDictionary<string, JsonObject>> Tables { get; } = new()
    {
        ["BatchPs-Catalog"] = new(StringComparer.Ordinal),
    };

    public (int Status, string Json) Handle(string operation, string body)
    {
        var request = JsonNode.Parse(body)!.AsObject();
        var tableName = (string)request["TableName"]!;
        lock (_gate)
        {
            if (!Tables.TryGetValue(tableName, out var table))
                return Error("ResourceNotFoundException", "Requested resource not found");
            switch (operation)
            {
                case "PutItem":
                {
                    var item = request["Item"]!.AsObject();
                    var key = (string)item["name"]!["S"]!;
                    var condition = (string?)request["ConditionExpression"];
                    if (condition is not null)
                    {
                        if (condition != "attribute_not_exists(#name)" || (string?)request["ExpressionAttributeNames"]?["#name"] != "name")
                            return Error("ValidationException", $"Unsupported condition {condition}");
                        if (table.ContainsKey(key))
                            return Error("ConditionalCheckFailedException", "The conditional request failed");
                    }
                    table[key] = (JsonObject)item.DeepClone();
                    return (200, "{}");
                }
                case "GetItem":
                {
                    var key = (string)request["Key"]!["name"]!["S"]!;
                    return (200, table.TryGetValue(key, out var item) ? new JsonObject { ["Item"] = item.DeepClone() }.ToJsonString() : "{}");
                }
                case "Scan":
                {
                    var after = (string?)request["ExclusiveStartKey"]?["name"]?["S"];
                    var page = table.Where(p => after is null || string.CompareOrdinal(p.Key, after) > 0).Take(2).ToList();
                    var items = new JsonArray(page.Select(p => (JsonNode)p.Value.DeepClone()).ToArray());
                    var response = new JsonObject { ["Count"] = page.Count, ["ScannedCount"] = page.Count, ["Items"] = items };
                    if (page.Count == 2 && table.Keys.Any(k => string.CompareOrdinal(k, page[^1].Key) > 0))
                        response["LastEvaluatedKey"] = new JsonObject { ["name"] = new JsonObject { ["S"] = page[^1].Key } };
                    return (200, response.ToJsonString());
                }
                case "DeleteItem":
                {
                    var key = (string)request["Key"]!["name"]!["S"]!;
                    var existed = table.Remove(key, out var old);
                    return (200, existed && (string?)request["ReturnValues"] == "ALL_OLD" ? new JsonObject { ["Attributes"] = old }.ToJsonString() : "{}");
                }
                default:
                    return Error("UnknownOperationException", operation);
            }
        }
    }

    private static (int, string) Error(string code, string message) =>
        (400, new JsonObject { ["__type"] = "com.amazonaws.dynamodb.v20120810#" + code, ["message"] = message }.ToJsonString());
}
