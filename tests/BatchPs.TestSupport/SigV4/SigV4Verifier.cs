using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BatchPs.TestSupport.SigV4;

/// <summary>
/// An independent SigV4 implementation, written from the specification and checked against the
/// official vectors (SigV4VectorTests), used by the fake services to verify what the client signs.
/// </summary>
public static class SigV4Verifier
{
    /// <summary>A request as the verifier sees it: the path as given (not decoded), query, headers (duplicates kept in order), body.</summary>
    public sealed record Request(string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);

    public sealed record Result(bool Valid, string CanonicalRequest, string StringToSign, string ExpectedSignature, string Problem);

    private static readonly Regex AuthorizationPattern = new(
        "^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, ?SignedHeaders=(?<headers>[^,]+), ?Signature=(?<sig>[0-9a-f]{64})$");

    public static Result Verify(Request request, string secretKey, bool normalizePath, string expectedRegion, string expectedService)
    {
        var authorization = Header(request, "authorization");
        if (authorization is null) return Fail("no Authorization header");
        var match = AuthorizationPattern.Match(authorization);
        if (!match.Success) return Fail("malformed Authorization header: " + authorization);
        if (match.Groups["region"].Value != expectedRegion) return Fail("signed for region " + match.Groups["region"].Value);
        if (match.Groups["service"].Value != expectedService) return Fail("signed for service " + match.Groups["service"].Value);
        var amzDate = Header(request, "x-amz-date");
        if (amzDate is null || !amzDate.StartsWith(match.Groups["date"].Value, StringComparison.Ordinal)) return Fail("x-amz-date missing or not the credential date");

        var signedHeaders = match.Groups["headers"].Value.Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date")) return Fail("host and x-amz-date must be signed");
        var payloadHash = Hex(SHA256.HashData(request.Body));
        var declared = Header(request, "x-amz-content-sha256");
        if (declared is not null && declared != payloadHash) return Fail("x-amz-content-sha256 is not the body's hash");

        var canonical = CanonicalRequest(request, signedHeaders, normalizePath, payloadHash);
        var scope = $"{match.Groups["date"].Value}/{expectedRegion}/{expectedService}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = Sign(secretKey, match.Groups["date"].Value, expectedRegion, expectedService, stringToSign);
        var valid = signature == match.Groups["sig"].Value;
        return new Result(valid, canonical, stringToSign, signature, valid ? "" : "signature mismatch");

        Result Fail(string problem) => new(false, "", "", "", problem);
    }

    public static string CanonicalRequest(Request request, IReadOnlyList<string> signedHeaders, bool normalizePath, string payloadHash)
    {
        var lines = new StringBuilder();
        lines.Append(request.Method).Append('\n');
        lines.Append(CanonicalUri(request.Path, normalizePath)).Append('\n');
        lines.Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => Trim(h.Value));
            lines.Append(name).Append(':').Append(string.Join(",", values)).Append('\n');
        }
        lines.Append('\n').Append(string.Join(";", signedHeaders)).Append('\n').Append(payloadHash);
        return lines.ToString();
    }

    public static string Sign(string secretKey, string date, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    private static string CanonicalUri(string path, bool normalize)
    {
        var segments = path.Split('/');
        if (normalize)
        {
            var kept = new List<string>();
            foreach (var segment in segments.Skip(1))
            {
                if (segment is "" or ".") continue;
                if (segment == "..") { if (kept.Count > 0) kept.RemoveAt(kept.Count - 1); continue; }
                kept.Add(segment);
            }
            var trailing = path.Length > 1 && (path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal)) && kept.Count > 0;
            return "/" + string.Join("/", kept.Select(Encode)) + (trailing ? "/" : "");
        }
        return string.Join("/", segments.Select(Encode));
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length == 0) return "";
        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var eq = part.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
            return (Key: Encode(key), Value: Encode(value));
        });
        return string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
    }

    private static string Encode(string text)
    {
        var result = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
                result.Append(c);
            else
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }

    private static string Trim(string value) => Regex.Replace(value.Trim(), "\\s+", " ");

    private static string? Header(Request request, string name) =>
        request.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
