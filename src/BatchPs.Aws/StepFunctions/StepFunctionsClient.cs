using System.Globalization;
using System.Text.Json.Nodes;

namespace BatchPs.Aws.StepFunctions;

/// <summary>
/// Step Functions over its AWS JSON 1.0 protocol (<c>X-Amz-Target: AWSStepFunctions.StartExecution</c>, StopExecution,
/// GetExecutionHistory),
/// signed for service <c>states</c>, on <see cref="AwsClientBase"/>'s signing and retries.
/// </summary>
public sealed class StepFunctionsClient : AwsJsonClient, IStepFunctionsClient
{
    /// <summary>The error code of StopExecution (and other calls) naming an execution that does not exist.</summary>
    public const string ExecutionDoesNotExist = "ExecutionDoesNotExist";

    /// <summary>Creates the client.</summary>
    public StepFunctionsClient(AwsClientSettings settings, HttpMessageHandler? handler = null)
        : base(settings, "states", "states", "AWSStepFunctions", "1.0", handler)
    {
    }

    /// <inheritdoc />
    public async Task<StartExecutionResponse> StartExecutionAsync(StartExecutionRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.StateMachineArn))
            throw new ArgumentException("StateMachineArn is required.", nameof(request));
        var body = new JsonObject { ["stateMachineArn"] = request.StateMachineArn };
        if (request.Name is not null) body["name"] = request.Name;
        if (request.Input is not null) body["input"] = request.Input;

        var answer = await InvokeAsync("StartExecution", body, cancellationToken).ConfigureAwait(false);
        var arn = answer["executionArn"]?.GetValue<string>()
            ?? throw new AwsServiceException("InvalidResponse", "StartExecution answered without executionArn.", System.Net.HttpStatusCode.OK, null);
        return new StartExecutionResponse(arn, ReadTimestamp(answer["startDate"]));
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset> StopExecutionAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(executionArn))
            throw new ArgumentException("The execution ARN is required.", nameof(executionArn));
        var body = new JsonObject { ["executionArn"] = executionArn };
        if (error is not null) body["error"] = error;
        if (cause is not null) body["cause"] = cause;
        var answer = await InvokeAsync("StopExecution", body, cancellationToken).ConfigureAwait(false);
        return ReadTimestamp(answer["stopDate"]);
    }

    /// <summary>The most events one GetExecutionHistory call returns (the API's <c>maxResults</c> maximum).</summary>
    public const int MaxHistoryPage = 1000;

    /// <summary>
    /// One page of an execution's history (<c>GetExecutionHistory</c>, oldest first, with the execution data): the events as
    /// the API returns them (<c>id</c>, <c>type</c>, <c>timestamp</c>, <c>previousEventId</c> and one <c>*EventDetails</c>
    /// member) and the token of the next page, null after the last. Throws <see cref="AwsServiceException"/>
    /// (<see cref="ExecutionDoesNotExist"/> for an unknown execution).
    /// </summary>
    public async Task<ExecutionHistoryPage> GetExecutionHistoryAsync(string executionArn, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(executionArn))
            throw new ArgumentException("The execution ARN is required.", nameof(executionArn));
        if (maxResults is < 1 or > MaxHistoryPage)
            throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, $"GetExecutionHistory takes maxResults of 1 to {MaxHistoryPage}.");
        var body = new JsonObject
        {
            ["executionArn"] = executionArn,
            ["maxResults"] = maxResults,
            ["reverseOrder"] = false,
            ["includeExecutionData"] = true,
        };
        if (nextToken is not null) body["nextToken"] = nextToken;
        var answer = await InvokeAsync("GetExecutionHistory", body, cancellationToken).ConfigureAwait(false);
        var events = answer["events"] is JsonArray array
            ? array.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList()
            : throw new AwsServiceException("InvalidResponse", "GetExecutionHistory answered without events.", System.Net.HttpStatusCode.OK, null);
        return new ExecutionHistoryPage(events, answer["nextToken"]?.GetValue<string>());
    }

    /// <summary>
    /// The ARN of a standard workflow's execution: the state machine ARN with <c>stateMachine</c>
    /// replaced by <c>execution</c>, then <c>:name</c>.
    /// </summary>
    public static string ExecutionArn(string stateMachineArn, string executionName)
    {
        var marker = stateMachineArn.IndexOf(":stateMachine:", StringComparison.Ordinal);
        return stateMachineArn.Substring(0, marker) + ":execution:" + stateMachineArn.Substring(marker + ":stateMachine:".Length) + ":" + executionName;
    }

    /// <summary>JSON protocol timestamps are epoch seconds (a number, possibly fractional).</summary>
    public static DateTimeOffset ReadTimestamp(JsonNode? node)
    {
        if (node is null) return default;
        var value = node.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? double.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture)
            : node.GetValue<double>();
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value * 1000));
    }

    /// <inheritdoc />
    protected override AwsServiceException CreateException(string code, string message, AwsHttpResponse response) =>
        code == ExecutionAlreadyExistsException.Code
            ? new ExecutionAlreadyExistsException(message, response.StatusCode, response.RequestId)
            : base.CreateException(code, message, response);

}
