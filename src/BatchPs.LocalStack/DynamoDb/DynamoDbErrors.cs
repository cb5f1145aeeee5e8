using BatchPs.StateMachine.Errors;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>
/// The error names Step Functions gives DynamoDB failures: <c>DynamoDB.</c> and the exception name
/// (developer guide, "Call DynamoDB APIs with Step Functions").
/// </summary>
public static class DynamoDbErrors
{
    /// <summary>A ConditionExpression evaluated to false.</summary>
    public const string ConditionalCheckFailed = "DynamoDB.ConditionalCheckFailedException";

    /// <summary>A malformed request (DynamoDB's ValidationException, surfaced by Step Functions under this name).</summary>
    public const string Validation = "DynamoDB.AmazonDynamoDBException";

    internal static StatesErrorException ConditionFailed() =>
        new(ConditionalCheckFailed, "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException)");

    internal static StatesErrorException Invalid(string message) =>
        new(Validation, $"{message} (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException)");
}
