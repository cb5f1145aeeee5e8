using System.Text.Encodings.Web;
using System.Text.Json;
using BatchPs.Core.Json;

namespace BatchPs.LocalStack;

/// <summary>The JSON the local stack writes: <see cref="BatchPsJson.Options"/> without HTML-safe escaping (the output is an API, not a web page).</summary>
internal static class LocalJson
{
    public static JsonSerializerOptions Options { get; } = new(BatchPsJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
