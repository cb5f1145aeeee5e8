using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>What an UpdateItem did: the item to store and the API response the task returns.</summary>
public sealed class DynamoDbUpdateResult
{
    /// <summary>Creates the result.</summary>
    public DynamoDbUpdateResult(JsonObject item, JsonObject response)
    {
        Item = item;
        Response = response;
    }

    /// <summary>The item after the update, in DynamoDB JSON (key attributes included).</summary>
    public JsonObject Item { get; }

    /// <summary>The UpdateItem response: <c>{}</c>, or <c>{"Attributes": ...}</c> as ReturnValues asks.</summary>
    public JsonObject Response { get; }
}
