using System.Text.Json.Nodes;

namespace BatchPs.Core.Api;

/// <summary>
/// The query of <c>GET /triggers/{id}/log?attempt=N&amp;child=N&amp;limit=N&amp;fromTail=true&amp;nextToken=</c>, validated by
/// <see cref="Parse"/>. Forward from the start by default; <c>fromTail=true</c> gives the last <c>limit</c> lines. The
/// <c>nextToken</c> names the attempt, the child and where to continue (a byte offset in the local stack's log file, or the
/// CloudWatch Logs forward token in the cloud: <see cref="Offset"/> or <see cref="Cursor"/>); it keeps working as the log grows, so a reader
/// that follows a running job polls with the last one. <c>attempt</c> defaults to the token's, else the latest;
/// <c>child</c> picks an array job's child (an array parent has no log of its own).
/// </summary>
public sealed class TriggerLogQuery
{
    /// <summary>The default page size in lines.</summary>
    public const int DefaultLimit = 1000;
    /// <summary>The largest page size in lines.</summary>
    public const int MaxLimit = 10000;

    /// <summary>The query parameter names.</summary>
    public static readonly string[] Names = { "attempt", "child", "limit", "fromTail", "nextToken" };

    /// <summary>The attempt (1-based); null: the token's, else the latest.</summary>
    public int? Attempt { get; set; }
    /// <summary>An array job's child index; null for a job that is not an array.</summary>
    public int? Child { get; set; }
    /// <summary>At most this many lines.</summary>
    public int Limit { get; set; } = DefaultLimit;
    /// <summary>The last <see cref="Limit"/> lines instead of the first.</summary>
    public bool FromTail { get; set; }
    /// <summary>Where to continue (a byte offset locally), from the token; null: the start (or the tail).</summary>
    public long? Offset { get; set; }
    /// <summary>Where to continue in a log its store pages with its own tokens (CloudWatch Logs' <c>nextForwardToken</c>), from the token; null otherwise.</summary>
    public string? Cursor { get; set; }

    /// <summary>The query of a request's parameters, or the 400 that names what is wrong.</summary>
    public static (TriggerLogQuery? Query, ApiError? Error) Parse(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var (parameters, error) = QueryParameters.From(pairs, Names);
        if (parameters is null) return (null, error);
        var query = new TriggerLogQuery
        {
            Attempt = parameters.WholeNumber("attempt", 1, 10, null, out error),
        };
        if (error is not null) return (null, error);
        query.Child = parameters.WholeNumber("child", 0, 9999, null, out error);
        if (error is not null) return (null, error);
        query.Limit = parameters.WholeNumber("limit", 1, MaxLimit, DefaultLimit, out error) ?? DefaultLimit;
        if (error is not null) return (null, error);
        query.FromTail = parameters.Flag("fromTail", out error);
        if (error is not null) return (null, error);
        if (parameters.Text("nextToken") is { } token)
        {
            if (query.FromTail)
                return (null, ApiError.Invalid("nextToken", "Pass either 'fromTail=true' (the last lines) or 'nextToken' (continue a page), not both."));
            var content = PageToken.Decode(token);
            long? o = content?["o"] is JsonValue offset && offset.TryGetValue<long>(out var at) && at >= 0 ? at : null;
            string? t = content?["t"] is JsonValue cursor && cursor.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
            if (content?["a"] is not JsonValue attempt || !attempt.TryGetValue<int>(out var a) || (o is null) == (t is null)
                || (query.Attempt is int asked && asked != a) || !SameChild(content["c"], query.Child))
                return (null, ApiError.Invalid("nextToken", "'nextToken' is not a token this server wrote for this attempt and child. Pass the nextToken of the previous page unchanged, with the same attempt and child."));
            query.Attempt = a;
            query.Offset = o;
            query.Cursor = t;
        }
        return (query, null);
    }

    /// <summary>The nextToken continuing at byte <paramref name="offset"/> of <paramref name="attempt"/> (of <see cref="Child"/>).</summary>
    public string EncodeToken(int attempt, long offset) =>
        PageToken.Encode(new JsonObject { ["a"] = attempt, ["c"] = Child, ["o"] = offset });

    /// <summary>The nextToken continuing at the store's own <paramref name="cursor"/> (a CloudWatch Logs forward token) in <paramref name="attempt"/> (of <see cref="Child"/>).</summary>
    public string EncodeToken(int attempt, string cursor) =>
        PageToken.Encode(new JsonObject { ["a"] = attempt, ["c"] = Child, ["t"] = cursor });

    /// <summary>The query string of this query (without '?'), for a client.</summary>
    public string ToQueryString(string? nextToken)
    {
        var parts = new List<string>();
        if (Attempt is int attempt && nextToken is null) parts.Add("attempt=" + attempt);
        if (Child is int child) parts.Add("child=" + child);
        parts.Add("limit=" + Limit);
        if (FromTail && nextToken is null) parts.Add("fromTail=true");
        if (nextToken is not null) parts.Add("nextToken=" + Uri.EscapeDataString(nextToken));
        return string.Join("&", parts);
    }

    /// <summary>400 <see cref="ErrorCodes.ArrayParent"/>: an array parent has no log of its own; the message says which children to read.</summary>
    public static ApiError ArrayParent(string triggerId, int size) =>
        new(400, ErrorCodes.ArrayParent, $"Trigger {triggerId} runs an array job of {size} children; each child has its own log. Pass child=0..{size - 1} (Get-BatchTriggerLog -Child N).", "child");

    /// <summary>400: <paramref name="child"/> is past the array's last child.</summary>
    public static ApiError ChildOutOfRange(string triggerId, int child, int size) =>
        ApiError.Invalid("child", $"'child' is {child}; trigger {triggerId}'s array job has children 0..{size - 1}.");

    /// <summary>400: <c>child</c> for a trigger whose job is not an array.</summary>
    public static ApiError NotAnArray(string triggerId) =>
        ApiError.Invalid("child", $"Trigger {triggerId} does not run an array job; leave 'child' out.");

    /// <summary>400: <c>child</c> for a trigger that has no job yet.</summary>
    public static ApiError NoChildrenYet(string triggerId) =>
        ApiError.Invalid("child", $"Trigger {triggerId} has no job yet, so no array children; leave 'child' out.");

    /// <summary>400: <paramref name="attempt"/> is past the job's <paramref name="attempts"/>.</summary>
    public static ApiError AttemptOutOfRange(string triggerId, int attempt, int attempts) =>
        ApiError.Invalid("attempt", $"'attempt' is {attempt}; trigger {triggerId}'s job has attempts 1..{attempts}.");

    /// <summary>400: <c>attempt</c> for a job that has not started one.</summary>
    public static ApiError NoAttemptYet(string triggerId, int attempt) =>
        ApiError.Invalid("attempt", $"'attempt' is {attempt}, but trigger {triggerId}'s job has not started an attempt yet.");

    private static bool SameChild(JsonNode? tokenChild, int? asked) =>
        tokenChild is JsonValue v && v.TryGetValue<int>(out var c) ? asked is null || asked == c : asked is null;
}
