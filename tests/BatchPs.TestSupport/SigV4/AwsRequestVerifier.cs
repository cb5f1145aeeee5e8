using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BatchPs.TestSupport.SigV4;

/// <summary>
/// Checks requests as the AWS services do before anything else: a known access key, the X-Amz-Date window, the
/// payload hash (S3's <c>UNSIGNED-PAYLOAD</c> allowed), then the signature — computed by the SigV4 implementation
/// that is checked against the official vectors (<see cref="SigV4Verifier"/>), not by a second copy.
/// </summary>
public sealed class AwsRequestVerifier
{
    private static readonly Regex AuthorizationPattern = new(
        "^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, ?SignedHeaders=(?<headers>[^,]+), ?Signature=(?<sig>[0-9a-f]{64})$");

    private readonly Dictionary<string, string> _secrets;

    public AwsRequestVerifier(Dictionary<string, string> secretsByAccessKey) => _secrets = secretsByAccessKey;

    /// <summary>Null when valid; else the AWS error code and message.</summary>
    public (string Code, string Message)? Verify(HttpRequest request, byte[] body, DateTime serverNow, out string service, out string accessKey)
    {
        service = "";
        accessKey = "";
        var match = AuthorizationPattern.Match(request.Headers.Authorization.ToString());
        if (!match.Success)
            return ("MissingAuthenticationToken", "Request is missing Authentication Token");
        accessKey = match.Groups["key"].Value;
        service = match.Groups["service"].Value;
        if (!_secrets.TryGetValue(accessKey, out var secret))
            return ("InvalidClientTokenId", "The security token included in the request is invalid.");

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        var signedAt = DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        if (Math.Abs((signedAt - serverNow).TotalMinutes) > 5)
            return ("RequestTimeTooSkewed", $"Signature expired: {amzDate} is now earlier than {serverNow.AddMinutes(-5):yyyyMMdd'T'HHmmss'Z'}.");

        var bodyHash = Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        if (string.IsNullOrEmpty(payloadHash)) payloadHash = bodyHash;
        else if (payloadHash != "UNSIGNED-PAYLOAD" && payloadHash != bodyHash)
            return ("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");

        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToUriComponent() + request.QueryString.Value;
        var q = rawTarget.IndexOf('?');
        var query = q >= 0 ? rawTarget[q..] : "";
        var path = q >= 0 ? rawTarget[..q] : rawTarget;
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();
        var canonical = SigV4Verifier.CanonicalRequest(
            new SigV4Verifier.Request(request.Method, path.Length == 0 ? "/" : path, query, headers, body),
            match.Groups["headers"].Value.Split(';'), normalizePath: false, payloadHash);
        var scope = $"{match.Groups["date"].Value}/{match.Groups["region"].Value}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant()}";
        var expected = SigV4Verifier.Sign(secret, match.Groups["date"].Value, match.Groups["region"].Value, service, stringToSign);
        return expected == match.Groups["sig"].Value
            ? null
            : ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.\nCanonical request:\n" + canonical);
    }
}
