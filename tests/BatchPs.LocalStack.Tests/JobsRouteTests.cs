using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.Tests;

public sealed class JobsRouteTests
{
    [Fact]
    public async Task GET_jobs_lists_the_catalog_sorted_with_public_fields_only()
    {
        await using var stack = await TestStack.StartAsync("""
            {"name": "zeta", "command": ["sh", "-c", "echo $SECRET"], "environment": {"SECRET": "s3cr3t"}, "jobQueue": "q-hidden", "tags": {"cost": "x"}, "workingDirectory": ".", "parameters": {"day": null, "mode": "full"}, "allowOverrides": ["timeoutSeconds"], "description": "Nightly export"},
            {"name": "alpha", "command": ["true"]}
            """);
        var body = await stack.Client.GetStringAsync("/jobs");
        var jobs = JsonNode.Parse(body)!["jobs"]!.AsArray();

        Assert.Equal(new[] { "alpha", "zeta" }, jobs.Select(j => (string?)j!["name"]));
        var zeta = jobs[1]!.AsObject();
        Assert.Equal(new[] { "allowOverrides", "description", "name", "parameters" }, zeta.Select(p => p.Key).Order());
        Assert.Equal("Nightly export", (string?)zeta["description"]);
        Assert.Null(zeta["parameters"]!["day"]);
        Assert.Equal("full", (string?)zeta["parameters"]!["mode"]);
        foreach (var hidden in new[] { "s3cr3t", "q-hidden", "echo", "cost", "SECRET" }) Assert.DoesNotContain(hidden, body);
    }
}
