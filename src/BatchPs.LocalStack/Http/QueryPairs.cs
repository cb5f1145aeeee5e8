using Microsoft.AspNetCore.Http;

namespace BatchPs.LocalStack.Http;

/// <summary>A request's query string as name/value pairs (a repeated name once per value), for Core's query parsers.</summary>
internal static class QueryPairs
{
    public static IEnumerable<KeyValuePair<string, string>> Of(HttpRequest request) =>
        request.Query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")));
}
