using System.Text.Json;
using System.Text.RegularExpressions;
using BatchPs.Core.Api;

namespace BatchPs.Core.Triggers;

/// <summary>
/// The validation rules of <c>POST /triggers</c>, shared by every server and client: a body either
/// becomes a <see cref="TriggerRequest"/> or an <see cref="ApiError"/> that names the field and says
/// how to fix it. Nothing is stored before this passes.
/// </summary>
public static class TriggerRequestParser
{
    /// <summary>Job names: a letter or digit, then letters, digits, <c>_ . -</c>; 1-128 characters.</summary>
    public static readonly Regex JobNamePattern = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant);
    /// <summary>Idempotency keys: 1-64 characters of <c>A-Z a-z 0-9 _ -</c> (a GUID fits).</summary>
    public static readonly Regex IdempotencyKeyPattern = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);
    /// <summary>Parameter names: 1-128 characters of <c>A-Z a-z 0-9 _ . -</c>, as AWS Batch's <c>Ref::name</c> takes them.</summary>
    public static readonly Regex ParameterNamePattern = new("^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "jobName", "client", "parameters", "overrides", "idempotencyKey",
    };

    /// <summary>Parses and validates a UTF-8 JSON body.</summary>
    public static ParseResult Parse(ReadOnlyMemory<byte> utf8Body)
    {
        if (utf8Body.Length > Limits.MaxBodyBytes)
            return Fail(new ApiError(413, ErrorCodes.BodyTooLarge, $"The body is {utf8Body.Length} bytes; the limit is {Limits.MaxBodyBytes} bytes (256 KiB). Pass large inputs by reference (for example an S3 URI in a parameter)."));
        if (utf8Body.Length == 0)
            return Fail(new ApiError(400, ErrorCodes.InvalidJson, "The body is empty. Send a JSON object such as {\"jobName\": \"hello\"}."));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is long line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : "";
            return Fail(new ApiError(400, ErrorCodes.InvalidJson, $"The body is not valid JSON{where}. Send a JSON object such as {{\"jobName\": \"hello\"}}."));
        }
        using (doc)
        {
            return Parse(doc.RootElement);
        }
    }

    /// <summary>Validates an already parsed body.</summary>
    public static ParseResult Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return Fail(ApiError.Invalid("", $"The body must be a JSON object, not {Describe(root)}. Send {{\"jobName\": \"hello\"}}."));

        var request = new TriggerRequest();
        foreach (var property in root.EnumerateObject())
        {
            if (ReadName(property) is not { } name)
                return Fail(NotUnicode("", "A field name in the body"));
            if (!KnownFields.Contains(name))
                return Fail(ApiError.Invalid(name, $"Unknown field '{name}'. The fields are: jobName, client, parameters, overrides, idempotencyKey (names are case-sensitive)."));
        }

        // jobName
        if (!root.TryGetProperty("jobName", out var jobName) || jobName.ValueKind == JsonValueKind.Null)
            return Fail(ApiError.Invalid("jobName", "'jobName' is missing. Name the catalog job to run, for example {\"jobName\": \"hello\"}."));
        if (jobName.ValueKind != JsonValueKind.String)
            return Fail(ApiError.Invalid("jobName", $"'jobName' must be a string, not {Describe(jobName)}."));
        if (ReadString(jobName) is not { } jobNameText)
            return Fail(NotUnicode("jobName", "'jobName'"));
        request.JobName = jobNameText;
        if (!JobNamePattern.IsMatch(request.JobName))
            return Fail(ApiError.Invalid("jobName", $"'jobName' '{Truncate(request.JobName)}' is not a valid job name: use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit."));

        // client
        if (root.TryGetProperty("client", out var client) && client.ValueKind != JsonValueKind.Null)
        {
            if (client.ValueKind != JsonValueKind.String)
                return Fail(ApiError.Invalid("client", $"'client' must be a string, not {Describe(client)}."));
            if (ReadString(client) is not { } value)
                return Fail(NotUnicode("client", "'client'"));
            if (value.Length > Limits.MaxClientLength)
                return Fail(ApiError.Invalid("client", $"'client' is {value.Length} characters; the limit is {Limits.MaxClientLength}."));
            if (value.Any(char.IsControl))
                return Fail(ApiError.Invalid("client", "'client' contains control characters (such as a newline or tab); use a plain one-line label."));
            request.Client = value.Length == 0 ? null : value;
        }

        // idempotencyKey
        if (root.TryGetProperty("idempotencyKey", out var key) && key.ValueKind != JsonValueKind.Null)
        {
            if (key.ValueKind != JsonValueKind.String)
                return Fail(ApiError.Invalid("idempotencyKey", $"'idempotencyKey' must be a string, not {Describe(key)}."));
            if (ReadString(key) is not { } value)
                return Fail(NotUnicode("idempotencyKey", "'idempotencyKey'"));
            if (!IdempotencyKeyPattern.IsMatch(value))
                return Fail(ApiError.Invalid("idempotencyKey", $"'idempotencyKey' '{Truncate(value)}' is not valid: use 1-{Limits.MaxIdempotencyKeyLength} letters, digits, '_' or '-' (a GUID fits)."));
            request.IdempotencyKey = value;
        }

        // parameters
        if (root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null)
        {
            if (parameters.ValueKind != JsonValueKind.Object)
                return Fail(ApiError.Invalid("parameters", $"'parameters' must be an object of string values, such as {{\"date\": \"2026-11-24\"}}, not {Describe(parameters)}."));
            foreach (var p in parameters.EnumerateObject())
            {
                if (ReadName(p) is not { } name)
                    return Fail(NotUnicode("parameters", "A parameter name"));
                var field = "parameters." + name;
                if (!ParameterNamePattern.IsMatch(name))
                    return Fail(ApiError.Invalid(field, $"Parameter name '{Truncate(name)}' is not valid: use 1-128 letters, digits, '_', '.' or '-'."));
                if (p.Value.ValueKind != JsonValueKind.String)
                    return Fail(ApiError.Invalid(field, $"Parameter '{name}' must be a string, not {Describe(p.Value)}. Quote the value, for example \"{name}\": \"{SuggestString(p.Value)}\"."));
                if (ReadString(p.Value) is not { } value)
                    return Fail(NotUnicode(field, $"Parameter '{name}'"));
                if (value.Length > Limits.MaxParameterValueLength)
                    return Fail(ApiError.Invalid(field, $"Parameter '{name}' is {value.Length} characters; the limit is {Limits.MaxParameterValueLength}."));
                if (value.IndexOf('\0') >= 0)
                    return Fail(ApiError.Invalid(field, $"Parameter '{name}' contains a NUL character (\\u0000), which cannot reach a job intact: a command-line argument or environment variable ends at the first NUL. Remove it (other control characters, such as tab and newline, are passed as they are)."));
                if (request.Parameters.ContainsKey(name))
                    return Fail(ApiError.Invalid(field, $"Parameter '{name}' is given twice; give each parameter once."));
                request.Parameters[name] = value;
            }
            if (request.Parameters.Count > Limits.MaxParameters)
                return Fail(ApiError.Invalid("parameters", $"{request.Parameters.Count} parameters given; the limit is {Limits.MaxParameters}."));
        }

        // overrides
        if (root.TryGetProperty("overrides", out var overrides) && overrides.ValueKind != JsonValueKind.Null)
        {
            var error = ParseOverrides(overrides, out var parsed);
            if (error is not null) return Fail(error);
            request.Overrides = parsed!.IsEmpty ? null : parsed;
        }

        return new ParseResult(request, null);
    }

    private static ApiError? ParseOverrides(JsonElement element, out TriggerOverrides? overrides)
    {
        overrides = null;
        if (element.ValueKind != JsonValueKind.Object)
            return ApiError.Invalid("overrides", $"'overrides' must be an object, not {Describe(element)}.");
        var result = new TriggerOverrides();
        foreach (var p in element.EnumerateObject())
        {
            if (ReadName(p) is not { } name)
                return NotUnicode("overrides", "An override name");
            var field = "overrides." + name;
            switch (name)
            {
                case OverrideNames.SchedulingPriority:
                    if (!TryInt(p.Value, 0, 9999, out var priority)) return ApiError.Invalid(field, "'overrides.schedulingPriority' must be a whole number from 0 to 9999.");
                    result.SchedulingPriority = priority;
                    break;
                case OverrideNames.ShareIdentifier:
                    if (p.Value.ValueKind == JsonValueKind.String && ReadString(p.Value) is null)
                        return NotUnicode(field, "'overrides.shareIdentifier'");
                    if (p.Value.ValueKind != JsonValueKind.String || !Regex.IsMatch(ReadString(p.Value)!, "^[A-Za-z0-9_]{1,255}$"))
                        return ApiError.Invalid(field, "'overrides.shareIdentifier' must be a string of 1-255 letters, digits or '_'.");
                    result.ShareIdentifier = ReadString(p.Value);
                    break;
                case OverrideNames.ArraySize:
                    if (!TryInt(p.Value, 2, 10000, out var size)) return ApiError.Invalid(field, "'overrides.arraySize' must be a whole number from 2 to 10000 (AWS Batch's array job limits).");
                    result.ArraySize = size;
                    break;
                case OverrideNames.TimeoutSeconds:
                    if (!TryInt(p.Value, 1, 14 * 24 * 3600, out var timeout)) return ApiError.Invalid(field, "'overrides.timeoutSeconds' must be a whole number of seconds from 1 to 1209600 (14 days).");
                    result.TimeoutSeconds = timeout;
                    break;
                case OverrideNames.RetryAttempts:
                    if (!TryInt(p.Value, 1, 10, out var attempts)) return ApiError.Invalid(field, "'overrides.retryAttempts' must be a whole number from 1 to 10.");
                    result.RetryAttempts = attempts;
                    break;
                default:
                    return ApiError.Invalid(field, $"Unknown override '{name}'. The overridable fields are: {string.Join(", ", OverrideNames.All)}.");
            }
        }
        overrides = result;
        return null;
    }

    private static bool TryInt(JsonElement value, int min, int max, out int result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out result) && result >= min && result <= max;
    }

    private static ParseResult Fail(ApiError error) => new(null, error);

    // System.Text.Json reads text lazily: a string or name with invalid UTF-8 bytes, or an escaped lone
    // surrogate (\ud800), throws InvalidOperationException when it is read. Null here means "not Unicode".
    private static string? ReadString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ReadName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static ApiError NotUnicode(string field, string what) =>
        ApiError.Invalid(field, $"{what} is not valid Unicode text: it holds bytes that are not UTF-8, or an escaped lone surrogate such as \\ud800. Send the body as UTF-8 JSON of whole characters.");

    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string SuggestString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "...",
    };

    private static string Truncate(string value) => value.Length <= 40 ? value : value.Substring(0, 40) + "...";
}

/// <summary>The outcome of <see cref="TriggerRequestParser.Parse(ReadOnlyMemory{byte})"/>: a request or an error.</summary>
public sealed class ParseResult
{
    internal ParseResult(TriggerRequest? request, ApiError? error)
    {
        Request = request;
        Error = error;
    }

    /// <summary>The valid request, or null.</summary>
    public TriggerRequest? Request { get; }
    /// <summary>What was wrong, or null.</summary>
    public ApiError? Error { get; }
    /// <summary>True when the body is valid.</summary>
    public bool IsValid => Request is not null;
}
