using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Intrinsics;

/// <summary>
/// The intrinsic functions of the Step Functions developer guide ("Intrinsic functions for JSONPath states").
/// Bad arguments fail with <c>States.IntrinsicFailure</c>; a path argument that selects nothing fails with
/// <c>States.Runtime</c>, as for any other path.
/// </summary>
internal static class IntrinsicFunctions
{
    /// <summary>The developer guide's limit on the input of Base64Encode, Base64Decode and Hash.</summary>
    private const int MaxTextLength = 10000;

    /// <summary>The developer guide's limit on the array States.ArrayRange may build.</summary>
    private const int MaxRangeLength = 1000;

    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["States.Format"] = (1, int.MaxValue),
        ["States.StringToJson"] = (1, 1),
        ["States.JsonToString"] = (1, 1),
        ["States.Array"] = (0, int.MaxValue),
        ["States.ArrayPartition"] = (2, 2),
        ["States.ArrayContains"] = (2, 2),
        ["States.ArrayRange"] = (3, 3),
        ["States.ArrayGetItem"] = (2, 2),
        ["States.ArrayLength"] = (1, 1),
        ["States.ArrayUnique"] = (1, 1),
        ["States.Base64Encode"] = (1, 1),
        ["States.Base64Decode"] = (1, 1),
        ["States.Hash"] = (2, 2),
        ["States.JsonMerge"] = (3, 3),
        ["States.MathRandom"] = (2, 3),
        ["States.MathAdd"] = (2, 2),
        ["States.StringSplit"] = (2, 2),
        ["States.UUID"] = (0, 0),
    };

    public static IEnumerable<string> Names => Arity.Keys;

    public static bool IsKnown(string name) => Arity.ContainsKey(name);

    /// <summary>Checks the argument count at load time; throws <see cref="FormatException"/>.</summary>
    public static void CheckArity(IntrinsicCall call)
    {
        var (min, max) = Arity[call.Name];
        var n = call.Arguments.Count;
        if (n < min || n > max)
        {
            var expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            throw new FormatException($"{call.Name} takes {expected} argument(s), not {n}.");
        }
        if (call.Name == "States.JsonMerge" && call.Arguments[2] is IntrinsicArgument.Literal literal
            && literal.Evaluate(default, "") is JsonValue v && v.GetValueKind() == JsonValueKind.True)
        {
            throw new FormatException("States.JsonMerge supports only the shallow merge: its third argument must be false.");
        }
    }

    public static JsonNode? Invoke(IntrinsicCall call, PathScope scope, string field)
    {
        var args = call.Arguments.Select(a => a.Evaluate(scope, field)).ToArray();
        return call.Name switch
        {
            "States.Format" => Format(call, args),
            "States.StringToJson" => StringToJson(call, args),
            "States.JsonToString" => JsonValue.Create(JsonValues.Serialize(args[0])),
            "States.Array" => new JsonArray(args),
            "States.ArrayPartition" => ArrayPartition(call, args),
            "States.ArrayContains" => JsonValue.Create(ArrayArg(call, args, 0).Any(item => JsonNode.DeepEquals(item, args[1]))),
            "States.ArrayRange" => ArrayRange(call, args),
            "States.ArrayGetItem" => ArrayGetItem(call, args),
            "States.ArrayLength" => JsonValue.Create(ArrayArg(call, args, 0).Count),
            "States.ArrayUnique" => ArrayUnique(call, args),
            "States.Base64Encode" => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(LimitedText(call, args, 0)))),
            "States.Base64Decode" => Base64Decode(call, args),
            "States.Hash" => Hash(call, args),
            "States.JsonMerge" => JsonMerge(call, args),
            "States.MathRandom" => MathRandom(call, args),
            "States.MathAdd" => MathAdd(call, args),
            "States.StringSplit" => StringSplit(call, args),
            "States.UUID" => JsonValue.Create(Guid.NewGuid().ToString()),
            _ => throw StatesErrorException.Intrinsic($"Unknown intrinsic function {call.Name}"),
        };
    }

    private static JsonNode Format(IntrinsicCall call, JsonNode?[] args)
    {
        var template = call.Arguments[0] is IntrinsicArgument.Literal { RawString: { } raw }
            ? raw
            : JsonValues.TryGetString(args[0], out var fromPath) ? fromPath
            : throw Fail(call, "the first argument must be a string template");
        var sb = new StringBuilder();
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length && template[i + 1] is '{' or '}' or '\\')
            {
                sb.Append(template[++i]);
            }
            else if (c == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= args.Length)
                {
                    throw Fail(call, $"the template has more {{}} placeholders than the {args.Length - 1} value(s) given");
                }
                sb.Append(FormatValue(args[next++]));
                i++;
            }
            else
            {
                sb.Append(c);
            }
        }
        if (next != args.Length)
        {
            throw Fail(call, $"the template has {next - 1} {{}} placeholder(s) but {args.Length - 1} value(s) were given");
        }
        return JsonValue.Create(sb.ToString());
    }

    /// <summary>
    /// A value as States.Format writes it: a string as is, a number, boolean or null as JSON, and an object or array
    /// as AWS renders it (Java's map and list text: <c>{Id=arn..., Name=M}</c>, <c>[1, a]</c>), as recorded for
    /// <c>States.Format('{}', $$.StateMachine)</c>.
    /// </summary>
    private static string FormatValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        JsonObject o => "{" + string.Join(", ", o.Select(p => p.Key + "=" + FormatValue(p.Value))) + "}",
        JsonArray a => "[" + string.Join(", ", a.Select(FormatValue)) + "]",
        _ => value.ToJsonString(),
    };

    private static JsonNode? StringToJson(IntrinsicCall call, JsonNode?[] args)
    {
        var text = StringArg(call, args, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null; // AWS: an empty or blank string is JSON null
        }
        try
        {
            return JsonValues.Parse(text);
        }
        catch (JsonException e)
        {
            throw Fail(call, $"the string is not valid JSON ({e.Message})");
        }
    }

    private static JsonNode ArrayPartition(IntrinsicCall call, JsonNode?[] args)
    {
        var array = ArrayArg(call, args, 0);
        var size = RoundedIntArg(call, args, 1);
        if (size <= 0)
        {
            throw Fail(call, "the chunk size must be a positive integer");
        }
        var result = new JsonArray();
        for (var i = 0; i < array.Count; i += (int)size)
        {
            result.Add(new JsonArray(array.Skip(i).Take((int)size).Select(JsonValues.Clone).ToArray()));
        }
        return result;
    }

    private static JsonNode ArrayRange(IntrinsicCall call, JsonNode?[] args)
    {
        var start = RoundedIntArg(call, args, 0);
        var end = RoundedIntArg(call, args, 1);
        var step = RoundedIntArg(call, args, 2);
        if (step == 0)
        {
            throw Fail(call, "the step must not be 0");
        }
        var count = end == start ? 1 : (end - start) / step + 1;
        if (count <= 0)
        {
            return new JsonArray();
        }
        if (count > MaxRangeLength)
        {
            throw Fail(call, $"the range has {count} items; at most {MaxRangeLength} are allowed");
        }
        var result = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            result.Add(start + i * step);
        }
        return result;
    }

    private static JsonNode? ArrayGetItem(IntrinsicCall call, JsonNode?[] args)
    {
        var array = ArrayArg(call, args, 0);
        var index = IntArg(call, args, 1);
        if (index < 0 || index >= array.Count)
        {
            throw Fail(call, $"index {index} is out of bounds for an array of {array.Count}");
        }
        return JsonValues.Clone(array[(int)index]);
    }

    private static JsonNode ArrayUnique(IntrinsicCall call, JsonNode?[] args)
    {
        var result = new List<JsonNode?>();
        foreach (var item in ArrayArg(call, args, 0))
        {
            if (!result.Any(kept => JsonNode.DeepEquals(kept, item)))
            {
                result.Add(item);
            }
        }
        return new JsonArray(result.Select(JsonValues.Clone).ToArray());
    }

    private static JsonNode Base64Decode(IntrinsicCall call, JsonNode?[] args)
    {
        var text = LimitedText(call, args, 0);
        try
        {
            var bytes = Convert.FromBase64String(text);
            return JsonValue.Create(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw Fail(call, "the argument is not Base64-encoded UTF-8 text");
        }
    }

    private static JsonNode Hash(IntrinsicCall call, JsonNode?[] args)
    {
        var data = JsonValues.TryGetString(args[0], out var s) ? s : JsonValues.Serialize(args[0]);
        if (data.Length > MaxTextLength)
        {
            throw Fail(call, $"the data has {data.Length} characters; at most {MaxTextLength} are allowed");
        }
        var bytes = Encoding.UTF8.GetBytes(data);
        var algorithm = StringArg(call, args, 1);
        // States.Hash must offer MD5 and SHA-1 (the States Language lists them): a checksum of data, not a security measure.
#pragma warning disable CA5350, CA5351
        byte[] digest = algorithm switch
        {
            "MD5" => MD5.HashData(bytes),
            "SHA-1" => SHA1.HashData(bytes),
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            _ => throw Fail(call, $"'{algorithm}' is not a hash algorithm (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512)"),
        };
#pragma warning restore CA5350, CA5351
        return JsonValue.Create(Convert.ToHexStringLower(digest));
    }

    private static JsonNode JsonMerge(IntrinsicCall call, JsonNode?[] args)
    {
        if (args[0] is not JsonObject left || args[1] is not JsonObject right)
        {
            throw Fail(call, "the first two arguments must be JSON objects");
        }
        if (args[2] is not JsonValue deep || deep.GetValueKind() != JsonValueKind.False)
        {
            throw Fail(call, "only the shallow merge is supported: the third argument must be false");
        }
        var merged = (JsonObject)left.DeepClone();
        foreach (var pair in right)
        {
            merged[pair.Key] = JsonValues.Clone(pair.Value);
        }
        return merged;
    }

    private static JsonNode MathRandom(IntrinsicCall call, JsonNode?[] args)
    {
        var start = RoundedIntArg(call, args, 0);
        var end = RoundedIntArg(call, args, 1);
        if (end <= start)
        {
            throw Fail(call, "the end must be greater than the start");
        }
        var random = args.Length == 3 ? new Random((int)RoundedIntArg(call, args, 2)) : Random.Shared;
        return JsonValue.Create(random.NextInt64(start, end));
    }

    private static JsonNode MathAdd(IntrinsicCall call, JsonNode?[] args)
    {
        var a = RoundedIntArg(call, args, 0);
        var b = RoundedIntArg(call, args, 1);
        return JsonValue.Create(a + b);
    }

    private static JsonNode StringSplit(IntrinsicCall call, JsonNode?[] args)
    {
        var text = StringArg(call, args, 0);
        var delimiters = StringArg(call, args, 1);
        var parts = delimiters.Length == 0
            ? [text]
            : text.Split(delimiters.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray(parts.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
    }

    private static string LimitedText(IntrinsicCall call, JsonNode?[] args, int index)
    {
        var text = StringArg(call, args, index);
        if (text.Length > MaxTextLength)
        {
            throw Fail(call, $"the input has {text.Length} characters; at most {MaxTextLength} are allowed");
        }
        return text;
    }

    private static string StringArg(IntrinsicCall call, JsonNode?[] args, int index) =>
        JsonValues.TryGetString(args[index], out var text)
            ? text
            : throw Fail(call, $"argument {index + 1} must be a string, not {JsonValues.Kind(args[index])}");

    /// <summary>
    /// A number argument of the math and range functions, rounded to the nearest integer with halves up as AWS
    /// does (Java's Math.round: 1.49 + 1.5 = 1 + 2 = 3, -1.5 is -1), where a string or other type is refused.
    /// </summary>
    private static long RoundedIntArg(IntrinsicCall call, JsonNode?[] args, int index)
    {
        if (JsonValues.TryGetInteger(args[index], out var integer))
        {
            return integer;
        }
        return JsonValues.TryGetNumber(args[index], out var number) && Math.Abs(number) < 9e15
            ? (long)Math.Floor(number + 0.5)
            : throw Fail(call, $"argument {index + 1} must be a number, not {JsonValues.Serialize(args[index])}");
    }

    private static long IntArg(IntrinsicCall call, JsonNode?[] args, int index) =>
        JsonValues.TryGetInteger(args[index], out var value)
            ? value
            : throw Fail(call, $"argument {index + 1} must be an integer, not {JsonValues.Serialize(args[index])}");

    private static JsonArray ArrayArg(IntrinsicCall call, JsonNode?[] args, int index) =>
        args[index] as JsonArray ?? throw Fail(call, $"argument {index + 1} must be an array, not {JsonValues.Kind(args[index])}");

    private static StatesErrorException Fail(IntrinsicCall call, string what) =>
        StatesErrorException.Intrinsic($"Invalid arguments in {call.Name}: {what}.");
}
