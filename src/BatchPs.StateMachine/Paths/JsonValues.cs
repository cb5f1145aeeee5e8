using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>Small helpers over <see cref="JsonNode"/> values.</summary>
internal static partial class JsonValues
{
    /// <summary>The Step Functions payload quota: 256 KiB of UTF-8 per input, output or result.</summary>
    public const int MaxPayloadBytes = 262144;

    public static int Utf8Length(JsonNode? node) => node is null ? 4 : JsonSerializer.SerializeToUtf8Bytes(node).Length;

    public static bool TryGetNumber(JsonNode? node, out double number)
    {
        number = 0;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
        }
        return false;
    }

    public static bool TryGetString(JsonNode? node, out string text)
    {
        text = "";
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }
        return false;
    }

    public static bool TryGetInteger(JsonNode? node, out long integer)
    {
        integer = 0;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            var text = value.ToJsonString();
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer))
            {
                return true;
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15)
            {
                integer = (long)d;
                return true;
            }
        }
        return false;
    }

    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>A deep copy, so the node can be attached to a new parent.</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static string Serialize(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    /// <summary>A JSON number literal (RFC 8259 grammar: no leading '+', '.5', '1.' or leading zeros).</summary>
    public static bool TryParseNumber(string text, out JsonNode? number)
    {
        number = null;
        if (!NumberLiteral().IsMatch(text))
        {
            return false;
        }
        number = JsonNode.Parse(text);
        return true;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex NumberLiteral();

    public static JsonNode? Parse(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 512 });
}
