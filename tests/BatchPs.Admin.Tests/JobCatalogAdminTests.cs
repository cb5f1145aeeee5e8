using System.Text.Json;
using BatchPs.Admin.Aws;
using BatchPs.Admin.Catalog;
using BatchPs.Admin.Stacks;
using BatchPs.Core.Catalog;
using BatchPs.Core.Json;

namespace BatchPs.Admin.Tests;

public sealed class JobCatalogAdminTests
{
    private const string Table = "BatchPs-Catalog";
    /// <summary>A fresh two-minute deadline for each call (generous: the machine may be loaded).</summary>
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static JobCatalogEntry Entry(string name) => new()
    {
        Name = name,
        JobQueue = "batchps-queue",
        JobDefinition = "nightly-etl:3",
        Parameters = new Dictionary<string, string?> { ["date"] = null, ["mode"] = "full" },
        TimeoutSeconds = 3600,
        RetryStrategy = new RetryStrategy { Attempts = 3 },
        AllowOverrides = new List<string> { "timeoutSeconds" },
    };

    [Fact]
    public async Task Registered_jobs_are_listed_read_and_unregistered()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var catalog = new JobCatalogAdmin(context.Options(), AdminTestContext.FastRetry);
        foreach (var name in new[] { "etl", "report", "cleanup", "backup" })
            await catalog.RegisterAsync(Table, Entry(name), replace: false, Timeout);

        var listing = await catalog.ListAsync(Table, Timeout);
        var one = await catalog.GetAsync(Table, "report", Timeout);
        var removed = await catalog.UnregisterAsync(Table, "report", Timeout);
        var removedAgain = await catalog.UnregisterAsync(Table, "report", Timeout);

        Assert.Equal(new[] { "backup", "cleanup", "etl", "report" }, listing.Entries.Select(e => e.Name)); // every Scan page
        Assert.Empty(listing.Problems);
        Assert.Equal("nightly-etl:3", one!.JobDefinition);
        Assert.Null(one.Parameters["date"]);
        Assert.True(removed.Removed);
        Assert.Equal("nightly-etl:3", removed.Entry!.JobDefinition);
        Assert.False(removedAgain.Removed);
        Assert.Null(await catalog.GetAsync(Table, "report", Timeout));
        Assert.Empty(context.Aws.SignatureFailures);
    }

    [Fact]
    public async Task Registered_items_have_the_format_the_stream_Lambda_reads()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var catalog = new JobCatalogAdmin(context.Options(), AdminTestContext.FastRetry);

        await catalog.RegisterAsync(Table, Entry("etl"), replace: false, Timeout);

        var item = context.Aws.DynamoDb.Tables[Table]["etl"];
        Assert.Equal("etl", (string?)item["name"]!["S"]);
        Assert.True(DateTime.TryParse((string?)item["updatedAt"]!["S"], out _));
        var entry = JsonSerializer.Deserialize<JobCatalogEntry>((string)item["entry"]!["S"]!, BatchPsJson.Options)!;
        Assert.Equal("batchps-queue", entry.JobQueue);
        Assert.Empty(JobCatalogRules.Validate(entry, requireCommand: false, requireBatch: true));
    }

    [Fact]
    public async Task An_invalid_entry_is_refused_with_every_problem_and_nothing_is_written()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var catalog = new JobCatalogAdmin(context.Options(), AdminTestContext.FastRetry);
        var entry = Entry("etl");
        entry.JobQueue = null;
        entry.TimeoutSeconds = 10;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => catalog.RegisterAsync(Table, entry, replace: false, Timeout));

        Assert.Contains("jobQueue is missing", error.Message);
        Assert.Contains("at least 60", error.Message);
        Assert.Empty(context.Aws.DynamoDb.Tables[Table]);
        Assert.Empty(context.Aws.Requests);
    }

    [Fact]
    public async Task Registering_an_existing_job_needs_replace()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var catalog = new JobCatalogAdmin(context.Options(), AdminTestContext.FastRetry);
        await catalog.RegisterAsync(Table, Entry("etl"), replace: false, Timeout);
        var changed = Entry("etl");
        changed.JobDefinition = "nightly-etl:4";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.RegisterAsync(Table, changed, replace: false, Timeout));
        Assert.Contains("-Force", error.Message);
        Assert.Equal("nightly-etl:3", (await catalog.GetAsync(Table, "etl", Timeout))!.JobDefinition);

        await catalog.RegisterAsync(Table, changed, replace: true, Timeout);
        Assert.Equal("nightly-etl:4", (await catalog.GetAsync(Table, "etl", Timeout))!.JobDefinition);
    }

    [Fact]
    public async Task The_catalog_table_is_found_from_the_stack_outputs()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());
        using var catalog = new JobCatalogAdmin(context.Options(), AdminTestContext.FastRetry);

        Assert.Equal(Table, await catalog.ResolveTableAsync(null, "BatchPs", Timeout));
        Assert.Equal("Other", await catalog.ResolveTableAsync("Other", "BatchPs", Timeout));
        var missing = await Assert.ThrowsAsync<StackOperationException>(() => catalog.ResolveTableAsync(null, "Missing", Timeout));
        Assert.Contains("Deploy-BatchTriggerStack", missing.Message);
    }

    [Fact]
    public async Task Unreadable_items_are_reported_and_the_rest_listed()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var catalog = new JobCatalogAdmin(context.Options(), AdminTestContext.FastRetry);
        await catalog.RegisterAsync(Table, Entry("etl"), replace: false, Timeout);
        context.Aws.DynamoDb.Tables[Table]["broken"] = new System.Text.Json.Nodes.JsonObject { ["name"] = new System.Text.Json.Nodes.JsonObject { ["S"] = "broken" } };

        var listing = await catalog.ListAsync(Table, Timeout);

        Assert.Equal("etl", Assert.Single(listing.Entries).Name);
        Assert.Contains("broken", Assert.Single(listing.Problems));
    }

    [Fact]
    public async Task A_missing_table_is_an_error_that_names_it()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var catalog = new JobCatalogAdmin(context.Options(), AdminTestContext.FastRetry);

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => catalog.ListAsync("NoSuchTable", Timeout));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Contains("NoSuchTable", error.Message);
    }
}
