using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace BatchPs.Admin.Tests.Fakes;

/// <summary>
/// Checks a request's SigV4 signature the way AWS does (written from the SigV4 specification, independent
/// of the SDK's signer): canonical request, string to sign, derived key, and the X-Amz-Date window.
/// </summary>
internal sealed class SigV4Verifier
{
    private readonly Dictionary<string, string> _secrets;

    public SigV4Verifier(Dictionary<string, string> secretsByAccessKey) => _secrets = secretsByAccessKey;

    /// <summary>Null when valid; else the AWS error code and message.</summary>
    public (string Code, string Message)? Verify(HttpRequest request, byte[] body, DateTime serverNow, out string service, out string accessKey)
    {
        service = "";
        accessKey = "";
        var authorization = request.Headers.Authorization.ToString();
        const string prefix = "AWS4-HMAC-SHA256 ";
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal))
            return ("MissingAuthenticationToken", "Request is missing Authentication Token");
        var parts = authorization.Substring(prefix.Length).Split(',').Select(p => p.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var credential = parts["Credential"].Split('/');
        accessKey = credential[0];
        var date = credential[1];
        var region = credential[2];
        service = credential[3];
        var signedHeaders = parts["SignedHeaders"];
        if (!_secrets.TryGetValue(accessKey, out var secret))
            return ("InvalidClientTokenId", "The security token included in the request is invalid.");

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        var signedAt = DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        if (Math.Abs((signedAt - serverNow).TotalMinutes) > 5)
            return ("RequestTimeTooSkewed", $"Signature expired: {amzDate} is now earlier than {serverNow.AddMinutes(-5):yyyyMMdd'T'HHmmss'Z'}.");

        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        var bodyHash = Hex(SHA256.HashData(body));
        if (string.IsNullOrEmpty(payloadHash)) payloadHash = bodyHash;
        else if (payloadHash != "UNSIGNED-PAYLOAD" && payloadHash != bodyHash)
            return ("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");

        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders.Split(';'))
        {
            var value = name == "host" ? request.Host.Value : string.Join(",", request.Headers[name].ToArray());
            canonicalHeaders.Append(name).Append(':').Append(string.Join(" ", (value ?? "").Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }
        var query = string.Join("&", request.Query
            .SelectMany(q => q.Value.Select(v => (Key: Encode(q.Key), Value: Encode(v ?? ""))))
            .OrderBy(q => q.Key, StringComparer.Ordinal).ThenBy(q => q.Value, StringComparer.Ordinal)
            .Select(q => q.Key + "=" + q.Value));
        var path = string.IsNullOrEmpty(request.Path.Value) ? "/" : request.Path.ToUriComponent();
        var canonicalRequest = string.Join("\n", request.Method, path, query, canonicalHeaders.ToString(), signedHeaders, payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        return expected == parts["Signature"]
            ? null
            : ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.\nCanonical request:\n" + canonicalRequest);
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
