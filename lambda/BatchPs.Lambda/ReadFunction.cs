using System.Text.Json;
using Amazon.DynamoDBv2;
using BatchPs.Aws;
using BatchPs.Aws.Batch;
using BatchPs.Aws.CloudWatchLogs;
using BatchPs.Aws.StepFunctions;
using BatchPs.Core.Api;

namespace BatchPs.Lambda;

/// <summary>
/// The read Lambda (<c>BatchPs.Lambda::BatchPs.Lambda.ReadFunction::HandleAsync</c>, the same package as
/// the stream function): the routes API Gateway cannot answer with one direct service call, behind a Lambda proxy
/// integration. <c>GET /triggers</c> (<see cref="DynamoDbTriggerReader"/>), <c>GET /triggers/{id}/log</c>
/// (<see cref="CloudWatchTriggerLogReader"/>) and <c>GET /triggers/{id}/history</c>
/// (<see cref="StepFunctionsTriggerHistoryReader"/>), and <c>GET /jobs</c> (<see cref="DynamoDbJobListReader"/>: a response
/// template cannot page a Scan, and Core's <c>JobSummary</c> decides what a caller sees). Queries are validated by Core's parsers (the local stack's) before
/// anything is read; errors are <c>{"code", "message"}</c> with Core's codes. A <c>Stream -> Stream</c> handler.
/// </summary>
public sealed class ReadFunction
{
    private readonly DynamoDbTriggerReader _triggers;
    private readonly CloudWatchTriggerLogReader _logs;
    private readonly StepFunctionsTriggerHistoryReader _history;
    private readonly DynamoDbJobListReader _jobs;
    private readonly TextWriter _log;

    /// <summary>Wires DynamoDB (AWSSDK.DynamoDBv2), CloudWatch Logs, Batch and Step Functions (BatchPs.Aws) from the Lambda environment.</summary>
    public ReadFunction()
        : this(new AmazonDynamoDBClient(), Console.Out)
    {
    }

    private ReadFunction(AmazonDynamoDBClient dynamo, TextWriter log)
        : this(new DynamoDbTriggerReader(dynamo, LambdaEnvironment.Required(LambdaEnvironment.TriggerTable)),
            new CloudWatchTriggerLogReader(new CloudWatchLogsClient(AwsClientSettings.FromEnvironment()), new BatchClient(AwsClientSettings.FromEnvironment()), LambdaEnvironment.Required(LambdaEnvironment.JobLogGroup)),
            new StepFunctionsTriggerHistoryReader(new StepFunctionsClient(AwsClientSettings.FromEnvironment()), LambdaEnvironment.Required(LambdaEnvironment.StateMachineArn)),
            new DynamoDbJobListReader(dynamo, LambdaEnvironment.Required(LambdaEnvironment.CatalogTable), log),
            log)
    {
    }

    /// <summary>Creates the function from its readers.</summary>
    public ReadFunction(DynamoDbTriggerReader triggers, CloudWatchTriggerLogReader logs, StepFunctionsTriggerHistoryReader history, DynamoDbJobListReader jobs, TextWriter log)
    {
        _jobs = jobs;
        _triggers = triggers;
        _logs = logs;
        _history = history;
        _log = log;
    }

    /// <summary>Handles one proxy event; answers the proxy response.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var document = await JsonDocument.ParseAsync(input).ConfigureAwait(false);
        var request = ApiGatewayProxy.Read(document.RootElement)
            ?? throw new InvalidOperationException("Unsupported event: expected an API Gateway Lambda proxy event (resource, httpMethod).");
        try
        {
            return await RouteAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsServiceException or AmazonDynamoDBException or FormatException or HttpRequestException or TaskCanceledException)
        {
            // AWS errors after retries, and stored items that are not trigger records: a 5xx the caller may retry, the cause in the function's log.
            _log.WriteLine($"{request.Method} {request.Resource} failed: {ex.GetType().Name}: {ex.Message}");
            var unavailable = ex is AwsServiceException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError } or HttpRequestException or TaskCanceledException
                || ex is AmazonDynamoDBException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError } or Amazon.DynamoDBv2.Model.ProvisionedThroughputExceededException;
            return ApiGatewayProxy.Error(unavailable
                ? new ApiError(503, ErrorCodes.ServiceUnavailable, "A service the trigger API reads is unavailable. Retry later.")
                : new ApiError(500, ErrorCodes.InternalError, $"The trigger API could not read what was asked ({ex.GetType().Name}). Retry; if it persists, the read function's log has the cause."));
        }
    }

    private async Task<Stream> RouteAsync(ApiGatewayProxy request, CancellationToken cancellationToken)
    {
        if (request.Method != "GET")
            return ApiGatewayProxy.Error(new ApiError(405, ErrorCodes.MethodNotAllowed, $"{request.Resource} answers GET only."));
        switch (request.Resource)
        {
            case "/triggers":
            {
                var (query, error) = TriggerListQuery.Parse(request.Query);
                if (error is not null) return ApiGatewayProxy.Error(error);
                var (page, problem) = await _triggers.ListAsync(query!, cancellationToken).ConfigureAwait(false);
                return problem is not null ? ApiGatewayProxy.Error(problem) : ApiGatewayProxy.Answer(200, page!);
            }
            case "/triggers/{id}/log":
            {
                var (query, error) = TriggerLogQuery.Parse(request.Query);
                if (error is not null) return ApiGatewayProxy.Error(error);
                if (await _triggers.FindAsync(request.Id ?? "", cancellationToken).ConfigureAwait(false) is not { } record)
                    return ApiGatewayProxy.Error(ApiError.TriggerNotFound(request.Id ?? ""));
                var (page, problem) = await _logs.ReadAsync(record, query!, cancellationToken).ConfigureAwait(false);
                return problem is not null ? ApiGatewayProxy.Error(problem) : ApiGatewayProxy.Answer(200, page!);
            }
            case "/triggers/{id}/history":
            {
                if (QueryParameters.None(request.Query, "GET /triggers/{id}/history") is { } historyQuery)
                    return ApiGatewayProxy.Error(historyQuery);
                if (await _triggers.FindAsync(request.Id ?? "", cancellationToken).ConfigureAwait(false) is not { } record)
                    return ApiGatewayProxy.Error(ApiError.TriggerNotFound(request.Id ?? ""));
                return ApiGatewayProxy.Answer(200, await _history.ReadAsync(record, cancellationToken).ConfigureAwait(false));
            }
            case "/jobs":
                if (QueryParameters.None(request.Query, "GET /jobs") is { } jobsQuery)
                    return ApiGatewayProxy.Error(jobsQuery);
                return ApiGatewayProxy.Answer(200, await _jobs.ListAsync(cancellationToken).ConfigureAwait(false));
            default:
                return ApiGatewayProxy.Error(new ApiError(404, ErrorCodes.NotFound, $"The read function does not answer {request.Resource}."));
        }
    }
}
