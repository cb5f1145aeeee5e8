using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.LocalStack.DynamoDb;
using BatchPs.TestSupport;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.LocalStack.Tests.DynamoDb;

/// <summary>UpdateItem and GetItem semantics over DynamoDB JSON items (DynamoDB developer guide, "Condition
/// expressions" and "Update expressions"), as the shipped state machine's status writes use them.</summary>
public sealed class DynamoDbUpdateItemTests
{
    private static readonly JsonObject Stored = JsonNode.Parse("""
        {"triggerId":{"S":"t-1"},"status":{"S":"STARTED"},"statusRank":{"N":"1"},"version":{"N":"4"},"tags":{"SS":["a","b"]},
         "detail":{"M":{"attempts":{"L":[{"N":"1"}]},"reason":{"S":"queued"}}}}
        """)!.AsObject();

    /// <summary>The shipped definition's forward-only status write.</summary>
    private static JsonObject StatusWrite(string status, int rank) => JsonNode.Parse("""
        {"TableName":"Triggers","Key":{"triggerId":{"S":"t-1"}},
         "UpdateExpression":"SET #status = :status, #rank = :rank, #updatedAt = :now ADD #version :one",
         "ConditionExpression":"attribute_exists(#triggerId) AND #rank < :rank",
         "ExpressionAttributeNames":{"#status":"status","#rank":"statusRank","#updatedAt":"updatedAt","#version":"version","#triggerId":"triggerId"},
         "ExpressionAttributeValues":{":status":{"S":"STATUS"},":rank":{"N":"RANK"},":now":{"S":"2026-01-01T00:00:00.000Z"},":one":{"N":"1"}}}
        """.Replace("STATUS", status).Replace("RANK", rank.ToString(System.Globalization.CultureInfo.InvariantCulture)))!.AsObject();

    private static StatesErrorException Fails(JsonObject request, JsonObject? item) =>
        Assert.Throws<StatesErrorException>(() => DynamoDbUpdateItem.Apply(request, item));

    [Fact]
    public void Forward_status_write_sets_fields_and_adds_to_the_version()
    {
        var result = DynamoDbUpdateItem.Apply(StatusWrite("SUBMITTED", 2), Stored);
        Assert.Equal("SUBMITTED", result.Item["status"]!["S"]!.GetValue<string>());
        Assert.Equal("2", result.Item["statusRank"]!["N"]!.GetValue<string>());
        Assert.Equal("5", result.Item["version"]!["N"]!.GetValue<string>());
        Assert.Equal("2026-01-01T00:00:00.000Z", result.Item["updatedAt"]!["S"]!.GetValue<string>());
        Asl.Equal("{}", result.Response);
    }

    [Fact]
    public void Backward_status_write_fails_the_condition_check()
    {
        var e = Fails(StatusWrite("STARTED", 1), Stored);
        Assert.Equal(DynamoDbErrors.ConditionalCheckFailed, e.Error);
    }

    [Fact]
    public void Condition_on_a_missing_item_fails_rather_than_creating_it()
    {
        Assert.Equal(DynamoDbErrors.ConditionalCheckFailed, Fails(StatusWrite("SUBMITTED", 2), null).Error);
    }

    [Fact]
    public void Update_without_condition_creates_the_item_from_its_key()
    {
        var request = JsonNode.Parse("""{"TableName":"T","Key":{"id":{"S":"x"}},"UpdateExpression":"SET n = :n","ExpressionAttributeValues":{":n":{"N":"1"}},"ReturnValues":"ALL_NEW"}""")!.AsObject();
        var result = DynamoDbUpdateItem.Apply(request, null);
        Asl.Equal("""{"id":{"S":"x"},"n":{"N":"1"}}""", result.Item);
        Asl.Equal("""{"Attributes":{"id":{"S":"x"},"n":{"N":"1"}}}""", result.Response);
    }

    [Theory]
    [InlineData("statusRank = :one", true)]
    [InlineData("statusRank <> :one", false)]
    [InlineData("missing <> :one", true)]
    [InlineData("missing = :one", false)]
    [InlineData("statusRank BETWEEN :zero AND :two", true)]
    [InlineData("#s IN (:queued, :started)", true)]
    [InlineData("NOT (#s = :started)", false)]
    [InlineData("attribute_not_exists(missing) AND attribute_exists(detail.reason)", true)]
    [InlineData("attribute_type(tags, :ss)", true)]
    [InlineData("begins_with(#s, :sta)", true)]
    [InlineData("contains(tags, :a)", true)]
    [InlineData("contains(detail.reason, :ue)", true)]
    [InlineData("size(detail.attempts) = :one", true)]
    [InlineData("detail.attempts[0] = :one", true)]
    [InlineData("#s = :started OR statusRank > :two AND statusRank < :zero", true)]
    [InlineData("statusRank < :word", false)]
    public void Condition_expressions_evaluate_as_DynamoDB_does(string condition, bool holds)
    {
        var values = """{":one":{"N":"1"},":zero":{"N":"0"},":two":{"N":"2"},":queued":{"S":"QUEUED"},":started":{"S":"STARTED"},":ss":{"S":"SS"},":sta":{"S":"STA"},":a":{"S":"a"},":ue":{"S":"ue"},":word":{"S":"x"}}""";
        var used = JsonNode.Parse(values)!.AsObject().Where(p => condition.Contains(p.Key + " ") || condition.Contains(p.Key + ")") || condition.EndsWith(p.Key, StringComparison.Ordinal) || condition.Contains(p.Key + ","));
        var request = new JsonObject
        {
            ["TableName"] = "T",
            ["Key"] = new JsonObject { ["triggerId"] = new JsonObject { ["S"] = "t-1" } },
            ["ConditionExpression"] = condition,
            ["ExpressionAttributeValues"] = new JsonObject(used.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        };
        if (condition.Contains("#s"))
        {
            request["ExpressionAttributeNames"] = new JsonObject { ["#s"] = "status" };
        }
        if (holds)
        {
            DynamoDbUpdateItem.Apply(request, Stored);
        }
        else
        {
            Assert.Equal(DynamoDbErrors.ConditionalCheckFailed, Fails(request, Stored).Error);
        }
    }

    [Fact]
    public void Update_actions_set_arithmetic_if_not_exists_list_append_remove_add_and_delete()
    {
        var request = JsonNode.Parse("""
            {"TableName":"T","Key":{"triggerId":{"S":"t-1"}},
             "UpdateExpression":"SET version = version + :one, created = if_not_exists(created, :now), detail.attempts = list_append(detail.attempts, :more), detail.reason = :why REMOVE #s ADD more :c, counter :one DELETE tags :a",
             "ExpressionAttributeNames":{"#s":"status"},
             "ExpressionAttributeValues":{":one":{"N":"1"},":now":{"S":"today"},":more":{"L":[{"N":"2"}]},":why":{"S":"running"},":c":{"SS":["c","a"]},":a":{"SS":["a"]}},
             "ReturnValues":"UPDATED_NEW"}
            """)!.AsObject();
        var result = DynamoDbUpdateItem.Apply(request, Stored);
        Asl.Equal("""
            {"triggerId":{"S":"t-1"},"statusRank":{"N":"1"},"version":{"N":"5"},"tags":{"SS":["b"]},
             "detail":{"M":{"attempts":{"L":[{"N":"1"},{"N":"2"}]},"reason":{"S":"running"}}},"created":{"S":"today"},"more":{"SS":["c","a"]},"counter":{"N":"1"}}
            """, result.Item);
        Assert.Equal(["version", "tags", "detail", "created", "more", "counter"], result.Response["Attributes"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"},":unused":{"S":"y"}}}""", "unused")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"SET a = :a"}""", ":a")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"SET triggerId = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}""", "part of the key")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"SET a = :a SET b = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}""", "only be used once")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"SET a = :a, a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}""", "overlap")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"PUT a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}}""", "PUT")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"ConditionExpression":"a ~ :a","ExpressionAttributeValues":{":a":{"S":"x"}}}""", "comparison")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"X":"x"}}}""", "AttributeValue")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"UpdateExpression":"ADD s :e","ExpressionAttributeValues":{":e":{"SS":[]}}}""", "may not be empty")]
    [InlineData("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"AttributeUpdates":{}}""", "AttributeUpdates")]
    [InlineData("""{"Key":{"triggerId":{"S":"t-1"}}}""", "TableName")]
    [InlineData("""{"TableName":"T"}""", "key")]
    public void Malformed_request_fails_with_a_validation_error(string request, string expected)
    {
        var e = Fails(JsonNode.Parse(request)!.AsObject(), Stored);
        Assert.Equal(DynamoDbErrors.Validation, e.Error);
        Assert.Contains(expected, e.Cause);
    }

    [Fact]
    public void GetItem_returns_the_item_or_an_empty_response()
    {
        var request = JsonNode.Parse("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}}}""");
        Asl.Equal("{}", DynamoDbGetItem.Respond(request, null));
        Assert.True(JsonNode.DeepEquals(Stored, DynamoDbGetItem.Respond(request, Stored)["Item"]));
    }

    [Fact]
    public void GetItem_applies_the_projection()
    {
        var request = JsonNode.Parse("""{"TableName":"T","Key":{"triggerId":{"S":"t-1"}},"ProjectionExpression":"#s, detail.reason, missing","ExpressionAttributeNames":{"#s":"status"}}""");
        Asl.Equal("""{"Item":{"status":{"S":"STARTED"},"detail":{"M":{"reason":{"S":"queued"}}}}}""", DynamoDbGetItem.Respond(request, Stored));
    }

    [Fact]
    public void Mangled_dynamodb_expressions_fail_with_a_validation_error()
    {
        var item = JsonNode.Parse("""{"id":{"S":"1"},"n":{"N":"1"},"l":{"L":[{"N":"1"}]},"m":{"M":{"k":{"S":"v"}}}}""")!.AsObject();
        foreach (var text in TextMutations.Of("SET #n = n + :one, m.k = if_not_exists(m.k, :v) REMOVE l[0]", 3000, 3))
        {
            var request = new JsonObject
            {
                ["TableName"] = "T",
                ["Key"] = new JsonObject { ["id"] = new JsonObject { ["S"] = "1" } },
                ["UpdateExpression"] = text,
                ["ConditionExpression"] = "attribute_exists(id) AND n < :two",
                ["ExpressionAttributeNames"] = new JsonObject { ["#n"] = "n" },
                ["ExpressionAttributeValues"] = new JsonObject { [":one"] = new JsonObject { ["N"] = "1" }, [":v"] = new JsonObject { ["S"] = "v" }, [":two"] = new JsonObject { ["N"] = "2" } },
            };
            try
            {
                DynamoDbUpdateItem.Apply(request, item);
            }
            catch (StatesErrorException e)
            {
                Assert.Contains(e.Error, new[] { DynamoDbErrors.Validation, DynamoDbErrors.ConditionalCheckFailed });
            }
        }
    }
}
