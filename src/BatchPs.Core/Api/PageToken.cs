using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchPs.Core.Api;

/// <summary>
/// The opaque <c>nextToken</c> of the paged routes: a small JSON object, base64url without padding. The server puts in
/// what it needs to continue (a position) and what the token is bound to (the filters, the attempt); a client passes it
/// back unchanged and never reads it.
/// </summary>
public static class PageToken
{
    /// <summary>The longest token accepted, in characters.</summary>
    public const int MaxLength = 2048;

    /// <summary>The token of <paramref name="content"/>.</summary>
    public static string Encode(JsonObject content)
    {
        if (content is null) throw new ArgumentNullException(nameof(content));
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(content.ToJsonString()));
        return base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The content of a token, or null when it is not one this server wrote (garbage, truncated, too long).</summary>
    public static JsonObject? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token!.Length > MaxLength) return null;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        try
        {
            return JsonNode.Parse(Convert.FromBase64String(base64)) as JsonObject;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
