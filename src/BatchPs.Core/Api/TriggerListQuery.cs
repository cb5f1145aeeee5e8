using System.Globalization;
using System.Text.Json.Nodes;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Api;

/// <summary>
/// The query of <c>GET /triggers?jobName=&amp;status=&amp;client=&amp;since=&amp;until=&amp;limit=&amp;nextToken=</c>, validated
/// (<see cref="Parse"/>) before anything is read. Triggers come newest first by <c>createdAt</c> (ties by
/// <c>triggerId</c>, descending); <c>since</c> is inclusive, <c>until</c> exclusive. The <c>nextToken</c> is bound to the
/// filters: <see cref="EncodeToken"/> writes their fingerprint beside the position, and <see cref="Parse"/> refuses a
/// token written for other filters.
/// </summary>
public sealed class TriggerListQuery
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 50;
    /// <summary>The largest page size.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The query parameter names.</summary>
    public static readonly string[] Names = { "jobName", "status", "client", "since", "until", "limit", "nextToken" };

    /// <summary>Only triggers of this catalog job.</summary>
    public string? JobName { get; set; }
    /// <summary>Only triggers in one of these statuses (empty: any).</summary>
    public List<TriggerStatus> Statuses { get; set; } = new();
    /// <summary>Only triggers with this client label (exact).</summary>
    public string? Client { get; set; }
    /// <summary>Only triggers created at or after this time.</summary>
    public DateTimeOffset? Since { get; set; }
    /// <summary>Only triggers created before this time.</summary>
    public DateTimeOffset? Until { get; set; }
    /// <summary>At most this many triggers per page.</summary>
    public int Limit { get; set; } = DefaultLimit;
    /// <summary>Where the previous page ended, as the server wrote it (null: the first page). Set by <see cref="Parse"/>.</summary>
    public JsonObject? Position { get; set; }

    /// <summary>The query of a request's parameters, or the 400 that names what is wrong.</summary>
    public static (TriggerListQuery? Query, ApiError? Error) Parse(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var (parameters, error) = QueryParameters.From(pairs, Names);
        if (parameters is null) return (null, error);
        var query = new TriggerListQuery();
        if (parameters.Text("jobName") is { } jobName)
        {
            if (!TriggerRequestParser.JobNamePattern.IsMatch(jobName))
                return (null, ApiError.Invalid("jobName", $"'jobName' is '{QueryParameters.Shorten(jobName)}', which is not a job name (letters, digits, '_', '.', '-'; at most {Limits.MaxJobNameLength})."));
            query.JobName = jobName;
        }
        if (parameters.Text("status") is { } statuses)
        {
            foreach (var name in statuses.Split(','))
            {
                var status = TriggerStatusOrder.Parse(name.Trim());
                if (status is null)
                    return (null, ApiError.Invalid("status", $"'status' names '{QueryParameters.Shorten(name)}', which is not a trigger status. The statuses are: {string.Join(", ", Enum.GetNames(typeof(TriggerStatus)))} (upper case; several comma-separated)."));
                if (!query.Statuses.Contains(status.Value)) query.Statuses.Add(status.Value);
            }
        }
        if (parameters.Text("client") is { } client)
        {
            if (client.Length > Limits.MaxClientLength || client.Any(char.IsControl))
                return (null, ApiError.Invalid("client", $"'client' must be a one-line label of at most {Limits.MaxClientLength} characters."));
            query.Client = client;
        }
        query.Since = parameters.Time("since", out error);
        if (error is not null) return (null, error);
        query.Until = parameters.Time("until", out error);
        if (error is not null) return (null, error);
        query.Limit = parameters.WholeNumber("limit", 1, MaxLimit, DefaultLimit, out error) ?? DefaultLimit;
        if (error is not null) return (null, error);
        if (parameters.Text("nextToken") is { } token)
        {
            var content = PageToken.Decode(token);
            if (content?["f"] is not JsonValue fingerprint || (string?)fingerprint != query.Fingerprint() || content["p"] is not JsonObject position)
                return (null, InvalidToken());
            query.Position = (JsonObject)position.DeepClone();
        }
        return (query, null);
    }

    /// <summary>The 400 of a nextToken that does not continue this query (garbage, other filters, or a position the store refuses).</summary>
    public static ApiError InvalidToken() =>
        ApiError.Invalid("nextToken", "'nextToken' is not a token this server wrote for these filters. Pass the nextToken of the previous page unchanged, with the same jobName, status, client, since and until.");

    /// <summary>The nextToken continuing after <paramref name="position"/> with these filters.</summary>
    public string EncodeToken(JsonObject position) =>
        PageToken.Encode(new JsonObject { ["f"] = Fingerprint(), ["p"] = position });

    /// <summary>The query string of this query (without '?'), for a client; <paramref name="nextToken"/> appended when given.</summary>
    public string ToQueryString(string? nextToken)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null) parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
        Add("jobName", JobName);
        Add("status", Statuses.Count == 0 ? null : string.Join(",", Statuses));
        Add("client", Client);
        Add("since", Since?.ToString("o", CultureInfo.InvariantCulture));
        Add("until", Until?.ToString("o", CultureInfo.InvariantCulture));
        Add("limit", Limit.ToString(CultureInfo.InvariantCulture));
        Add("nextToken", nextToken);
        return string.Join("&", parts);
    }

    /// <summary>The filters as one string (the status order and the time's offset do not matter).</summary>
    private string Fingerprint() => new JsonObject
    {
        ["j"] = JobName,
        ["s"] = string.Join(",", Statuses.OrderBy(s => s).Select(s => s.ToString())),
        ["c"] = Client,
        ["a"] = Since?.UtcTicks,
        ["b"] = Until?.UtcTicks,
    }.ToJsonString();
}
