using System.Globalization;
using System.Text.Json.Nodes;

namespace BatchPs.Aws.CloudWatchLogs;

/// <summary>
/// CloudWatch Logs over its AWS JSON 1.1 protocol (<c>X-Amz-Target: Logs_20140328.GetLogEvents</c>), signed for service
/// <c>logs</c>, on <see cref="AwsClientBase"/>'s signing and retries. Only what the read Lambda calls: GetLogEvents.
/// </summary>
public sealed class CloudWatchLogsClient : AwsJsonClient
{
    /// <summary>The error code of a log group or stream that does not exist.</summary>
    public const string ResourceNotFound = "ResourceNotFoundException";

    /// <summary>The most events one GetLogEvents call returns (the API's <c>limit</c> maximum).</summary>
    public const int MaxLimit = 10000;

    /// <summary>Creates the client.</summary>
    public CloudWatchLogsClient(AwsClientSettings settings, HttpMessageHandler? handler = null)
        : base(settings, "logs", "logs", "Logs_20140328", "1.1", handler)
    {
    }

    /// <summary>
    /// One page of a log stream's events (<c>GetLogEvents</c>). With <paramref name="nextToken"/> null, the page starts at
    /// the head when <paramref name="startFromHead"/>, else it is the stream's last <paramref name="limit"/> events; either way
    /// the events are oldest first. The answer's forward token is the same one passed in once the end is reached (the API
    /// reference says so), which is what lets a reader poll a growing stream with it. Throws <see cref="AwsServiceException"/>
    /// (<see cref="ResourceNotFound"/> for a group or stream that does not exist).
    /// </summary>
    public async Task<LogEventsPage> GetLogEventsAsync(string logGroupName, string logStreamName, int limit, bool startFromHead, string? nextToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(logGroupName)) throw new ArgumentException("The log group name is required.", nameof(logGroupName));
        if (string.IsNullOrEmpty(logStreamName)) throw new ArgumentException("The log stream name is required.", nameof(logStreamName));
        if (limit is < 1 or > MaxLimit) throw new ArgumentOutOfRangeException(nameof(limit), limit, $"GetLogEvents takes a limit of 1 to {MaxLimit}.");
        var body = new JsonObject
        {
            ["logGroupName"] = logGroupName,
            ["logStreamName"] = logStreamName,
            ["limit"] = limit,
            ["startFromHead"] = startFromHead,
        };
        if (nextToken is not null) body["nextToken"] = nextToken;
        var answer = await InvokeAsync("GetLogEvents", body, cancellationToken).ConfigureAwait(false);
        var events = new List<LogEvent>();
        if (answer["events"] is JsonArray array)
        {
            foreach (var e in array.OfType<JsonObject>())
            {
                var millis = e["timestamp"] is JsonValue t && t.TryGetValue<long>(out var ms) ? ms
                    : throw new AwsServiceException("InvalidResponse", "GetLogEvents answered an event without a timestamp.", System.Net.HttpStatusCode.OK, null);
                events.Add(new LogEvent(DateTimeOffset.FromUnixTimeMilliseconds(millis), e["message"]?.GetValue<string>() ?? ""));
            }
        }
        return new LogEventsPage(events, answer["nextForwardToken"]?.GetValue<string>(), answer["nextBackwardToken"]?.GetValue<string>());
    }

    /// <summary>The stream name's form a caller can show: <c>group:stream</c>.</summary>
    public static string Location(string logGroupName, string logStreamName) =>
        string.Format(CultureInfo.InvariantCulture, "{0}:{1}", logGroupName, logStreamName);
}

/// <summary>One log event: when it was written and its message.</summary>
public sealed class LogEvent
{
    /// <summary>Creates the event.</summary>
    public LogEvent(DateTimeOffset timestamp, string message)
    {
        Timestamp = timestamp;
        Message = message;
    }

    /// <summary>When the event was written (the event's <c>timestamp</c>, epoch milliseconds).</summary>
    public DateTimeOffset Timestamp { get; }
    /// <summary>The message.</summary>
    public string Message { get; }
}

/// <summary>A page of <see cref="CloudWatchLogsClient.GetLogEventsAsync"/>: events oldest first and the tokens to page on.</summary>
public sealed class LogEventsPage
{
    /// <summary>Creates the page.</summary>
    public LogEventsPage(IReadOnlyList<LogEvent> events, string? nextForwardToken, string? nextBackwardToken)
    {
        Events = events;
        NextForwardToken = nextForwardToken;
        NextBackwardToken = nextBackwardToken;
    }

    /// <summary>The events, oldest first.</summary>
    public IReadOnlyList<LogEvent> Events { get; }
    /// <summary>The token of the events after this page (the same token again at the end of the stream).</summary>
    public string? NextForwardToken { get; }
    /// <summary>The token of the events before this page.</summary>
    public string? NextBackwardToken { get; }
}
