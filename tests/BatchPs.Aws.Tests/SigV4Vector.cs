using System.Text;
using System.Text.Json;
using BatchPs.TestSupport.SigV4;

namespace BatchPs.Aws.Tests;

/// <summary>One case of the official SigV4 suite in shared/sigv4: request, context and expected results.</summary>
internal sealed class SigV4Vector
{
    public required string Name { get; init; }
    public required SigV4Verifier.Request Request { get; init; }
    public required string AccessKey { get; init; }
    public required string SecretKey { get; init; }
    public string? SessionToken { get; init; }
    public required string Region { get; init; }
    public required string Service { get; init; }
    public required DateTime Timestamp { get; init; }
    public required bool Normalize { get; init; }
    public required string ExpectedCanonicalRequest { get; init; }
    public required string ExpectedSignature { get; init; }
    public required string ExpectedAuthorization { get; init; }

    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "sigv4")))
                dir = dir.Parent;
            return dir is null ? "/work/shared/sigv4" : Path.Combine(dir.FullName, "shared", "sigv4");
        }
    }

    public static IEnumerable<object[]> Names() =>
        Directory.GetDirectories(Root).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n! });

    public static SigV4Vector Load(string name)
    {
        var dir = Path.Combine(Root, name);
        using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "context.json")));
        var c = context.RootElement;
        var credentials = c.GetProperty("credentials");
        var signedRequest = File.ReadAllText(Path.Combine(dir, "header-signed-request.txt"));
        var authorization = signedRequest.Split('\n').First(l => l.StartsWith("Authorization:", StringComparison.Ordinal))["Authorization:".Length..].Trim();
        return new SigV4Vector
        {
            Name = name,
            Request = ParseRequest(File.ReadAllText(Path.Combine(dir, "request.txt"))),
            AccessKey = credentials.GetProperty("access_key_id").GetString()!,
            SecretKey = credentials.GetProperty("secret_access_key").GetString()!,
            SessionToken = credentials.TryGetProperty("token", out var token) ? token.GetString() : null,
            Region = c.GetProperty("region").GetString()!,
            Service = c.GetProperty("service").GetString()!,
            Timestamp = c.GetProperty("timestamp").GetDateTime().ToUniversalTime(),
            Normalize = c.GetProperty("normalize").GetBoolean(),
            ExpectedCanonicalRequest = File.ReadAllText(Path.Combine(dir, "header-canonical-request.txt")).TrimEnd('\n'),
            ExpectedSignature = File.ReadAllText(Path.Combine(dir, "header-signature.txt")).Trim(),
            ExpectedAuthorization = authorization,
        };
    }

    /// <summary>Parses request.txt: request line, headers (continuation lines folded), blank line, body.</summary>
    private static SigV4Verifier.Request ParseRequest(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ')];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        var q = target.IndexOf('?');
        var path = q < 0 ? target : target[..q];
        var query = q < 0 ? "" : target[(q + 1)..];

        var headers = new List<KeyValuePair<string, string>>();
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            if (char.IsWhiteSpace(lines[i][0]) && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + " " + lines[i].Trim());
                continue;
            }
            var colon = lines[i].IndexOf(':');
            headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..]));
        }
        var body = i < lines.Length ? string.Join("\n", lines.Skip(i + 1)) : "";
        return new SigV4Verifier.Request(method, path, query, headers, Encoding.UTF8.GetBytes(body));
    }
}
