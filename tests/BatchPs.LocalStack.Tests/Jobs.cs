namespace BatchPs.LocalStack.Tests;

/// <summary>Catalog entries (JSON) for the tests' jobs: small shell scripts, real processes.</summary>
internal static class Jobs
{
    /// <summary>A job entry running <c>sh -c script</c> with extra positional arguments.</summary>
    public static string Shell(string name, string script, string extra = "", string parameters = "{}", string more = "")
    {
        var args = extra.Length == 0 ? "" : ", " + extra;
        return $$"""{"name": "{{name}}", "command": ["sh", "-c", {{System.Text.Json.JsonSerializer.Serialize(script)}}, "sh"{{args}}], "parameters": {{parameters}}{{more}}}""";
    }
}
