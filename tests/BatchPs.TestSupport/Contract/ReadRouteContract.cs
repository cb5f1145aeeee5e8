using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchPs.TestSupport.Contract;

/// <summary>
/// One request of the read routes' shared contract (<c>Contract/read-routes.json</c>) and what both servers answer:
/// the status, the error code and a part of its message, or the whole body.
/// </summary>
public sealed record ReadRouteCase(string Name, string Path, int Status, string? Code, string? Message, JsonNode? Body)
{
    /// <summary>The cases, by name, for an xunit theory.</summary>
    public static IEnumerable<object[]> All() => Load().Select(c => new object[] { c.Name });

    /// <summary>The case named <paramref name="name"/>.</summary>
    public static ReadRouteCase Named(string name) => Load().Single(c => c.Name == name);

    /// <summary>The path with <c>{trigger}</c> replaced by <paramref name="triggerId"/>.</summary>
    public string PathFor(string triggerId) => Path.Replace("{trigger}", triggerId, StringComparison.Ordinal);

    /// <summary>Checks an answer: the status, then the code and message part, or the body.</summary>
    public void Check(int status, string body)
    {
        Assert.True(status == Status, $"{Name}: expected {Status}, got {status}: {body}");
        var answer = JsonNode.Parse(body)!;
        if (Code is not null) Assert.Equal(Code, (string?)answer["code"]);
        if (Message is not null) Assert.Contains(Message, (string?)answer["message"] ?? "", StringComparison.Ordinal);
        if (Body is not null) Assert.True(JsonNode.DeepEquals(Body, answer), $"{Name}: expected {Body.ToJsonString()}, got {body}");
    }

    private static List<ReadRouteCase> Load()
    {
        var file = System.IO.Path.Combine(AppContext.BaseDirectory, "contract", "read-routes.json");
        var root = JsonNode.Parse(File.ReadAllText(file))!;
        return root["cases"]!.AsArray().Select(c => new ReadRouteCase(
            (string)c!["name"]!, (string)c["path"]!, (int)c["status"]!, (string?)c["code"], (string?)c["message"], c["body"]?.DeepClone())).ToList();
    }
}
