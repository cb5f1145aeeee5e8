using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;
using BatchPs.LocalStack.Storage;

namespace BatchPs.LocalStack.Tests;

/// <summary>GET /triggers' paging and filters on the store (10,000 triggers) and its validation over HTTP.</summary>
public sealed class TriggerListTests : IClassFixture<TriggerListTests.Store>
{
    private readonly TriggerStore _store;
    private readonly List<TriggerRecord> _all;

    public TriggerListTests(Store store)
    {
        _store = store.Triggers;
        _all = store.All;
    }

    /// <summary>10,000 triggers in a real SQLite file, shared by the tests (they only read).</summary>
    public sealed class Store : IAsyncLifetime
    {
        private static readonly string[] JobNames = { "export", "import", "report" };
        private static readonly TriggerStatus[] Statuses = { TriggerStatus.SUCCEEDED, TriggerStatus.FAILED, TriggerStatus.CANCELLED, TriggerStatus.RUNNING };
        private readonly TestFolder _folder = new();
        private LocalDatabase _database = null!;
        internal TriggerStore Triggers { get; private set; } = null!;
        public List<TriggerRecord> All { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _database = LocalDatabase.Open(_folder.Path);
            Triggers = new TriggerStore(_database);
            var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            // Every 7th pair shares a created time, so ties are ordered by id.
            All = Enumerable.Range(0, 10_000).Select(i => new TriggerRecord
            {
                TriggerId = $"t{i:D5}",
                JobName = JobNames[i % 3],
                Client = i % 5 == 0 ? "nightly" : "adhoc",
                IdempotencyKey = $"k{i}",
                Status = Statuses[i % 4],
                CreatedAt = start.AddSeconds(i - i % 7 % 2),
                UpdatedAt = start,
                StatusChangedAt = start,
                Version = 1,
            }).ToList();
            foreach (var chunk in All.Chunk(500)) await Task.WhenAll(chunk.Select(Triggers.InsertAsync));
        }

        public Task DisposeAsync()
        {
            Triggers.Dispose();
            _database.Dispose();
            _folder.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Paging_through_10000_triggers_returns_each_once_newest_first()
    {
        var seen = ReadAll(new TriggerListQuery { Limit = 333 });
        var expected = _all.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.TriggerId, StringComparer.Ordinal).Select(r => r.TriggerId);
        Assert.Equal(expected, seen);
    }

    [Theory]
    [InlineData("export", "FAILED,CANCELLED", null)]
    [InlineData(null, "RUNNING", "nightly")]
    [InlineData("report", null, "adhoc")]
    public void Filters_by_job_statuses_and_client_across_pages(string? job, string? statuses, string? client)
    {
        var query = Parse(("jobName", job), ("status", statuses), ("client", client), ("limit", "97"));
        var wanted = statuses?.Split(',').Select(s => Enum.Parse<TriggerStatus>(s)).ToList();
        var expected = _all.Where(r => (job is null || r.JobName == job) && (wanted is null || wanted.Contains(r.Status)) && (client is null || r.Client == client))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.TriggerId, StringComparer.Ordinal).Select(r => r.TriggerId).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, ReadAll(query));
    }

    [Fact]
    public void Since_is_inclusive_and_until_exclusive_with_any_offset()
    {
        var query = Parse(("since", "2026-11-01T02:00:00+02:00"), ("until", "2026-11-01T00:01:40Z"), ("limit", "1000"));
        var expected = _all.Where(r => r.CreatedAt >= new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) && r.CreatedAt < new DateTimeOffset(2026, 11, 1, 0, 1, 40, TimeSpan.Zero))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.TriggerId, StringComparer.Ordinal).Select(r => r.TriggerId).ToList();
        Assert.Equal(100, expected.Count);
        Assert.Equal(expected, ReadAll(query));
    }

    [Fact]
    public void The_last_page_has_no_next_token()
    {
        var page = _store.List(Parse(("jobName", "export"), ("status", "RUNNING"), ("limit", "1000")));
        Assert.Equal(_all.Count(r => r.JobName == "export" && r.Status == TriggerStatus.RUNNING), page.Triggers.Count);
        Assert.Null(page.NextToken);
    }

    [Theory]
    [InlineData("status=DONE", "'DONE'")]
    [InlineData("status=FAILED,nope", "'nope'")]
    [InlineData("limit=0", "1 to 1,000")]
    [InlineData("limit=1001", "1 to 1,000")]
    [InlineData("since=2026-11-01T00:00:00", "with an offset")]
    [InlineData("until=yesterday", "ISO 8601")]
    [InlineData("jobName=bad%20name", "not a job name")]
    [InlineData("nextToken=garbage", "nextToken")]
    [InlineData("owner=me", "Unknown query parameter 'owner'")]
    [InlineData("limit=5&limit=6", "given twice")]
    public void A_bad_list_query_is_refused_naming_what_is_wrong(string queryString, string expected)
    {
        var pairs = queryString.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], Uri.UnescapeDataString(p[1])));
        var (query, error) = TriggerListQuery.Parse(pairs);
        Assert.Null(query);
        Assert.Equal(400, error!.StatusCode);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_next_token_used_with_other_filters_is_refused()
    {
        var first = _store.List(Parse(("jobName", "export"), ("limit", "10")));
        var (query, error) = TriggerListQuery.Parse(new[] { Pair("jobName", "import"), Pair("nextToken", first.NextToken!) });
        Assert.Null(query);
        Assert.Contains("nextToken", error!.Message);
        var (same, none) = TriggerListQuery.Parse(new[] { Pair("jobName", "export"), Pair("nextToken", first.NextToken!), Pair("limit", "20") });
        Assert.Null(none);
        Assert.Equal(20, _store.List(same!).Triggers.Count);
    }

    [Fact]
    public async Task GET_triggers_over_HTTP_answers_the_page_and_its_400s()
    {
        await using var stack = await TestStack.StartAsync(Jobs.Shell("hello", "exit 0") + "," + Jobs.Shell("other", "exit 0"));
        var sent = new List<TriggerRecord>();
        for (var i = 0; i < 3; i++) sent.Add(await stack.SendAsync("hello"));
        await stack.SendAsync("other");

        var page = JsonNode.Parse(await stack.Client.GetStringAsync("/triggers?jobName=hello&limit=2"))!;
        Assert.Equal(new[] { sent[2].TriggerId, sent[1].TriggerId }, page["triggers"]!.AsArray().Select(t => (string?)t!["triggerId"]));
        var next = (string)page["nextToken"]!;
        var rest = JsonNode.Parse(await stack.Client.GetStringAsync("/triggers?jobName=hello&limit=2&nextToken=" + next))!;
        Assert.Equal(new[] { sent[0].TriggerId }, rest["triggers"]!.AsArray().Select(t => (string?)t!["triggerId"]));
        Assert.True(rest.AsObject().ContainsKey("nextToken"));
        Assert.Null(rest["nextToken"]);

        using var bad = await stack.Client.GetAsync("/triggers?status=FINISHED");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var error = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        Assert.Equal(ErrorCodes.InvalidRequest, (string?)error["code"]);
        Assert.Contains("'FINISHED'", (string?)error["message"]);
    }

    private List<string> ReadAll(TriggerListQuery query)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var (q, error) = TriggerListQuery.Parse(ToPairs(query, token));
            Assert.Null(error);
            var page = _store.List(q!);
            Assert.True(page.Triggers.Count <= query.Limit);
            ids.AddRange(page.Triggers.Select(t => t.TriggerId));
            token = page.NextToken;
        }
        while (token is not null);
        return ids;
    }

    private static IEnumerable<KeyValuePair<string, string>> ToPairs(TriggerListQuery query, string? token) =>
        query.ToQueryString(token).Split('&').Select(p => p.Split('=', 2)).Select(p => Pair(p[0], Uri.UnescapeDataString(p[1])));

    private static TriggerListQuery Parse(params (string Name, string? Value)[] pairs)
    {
        var (query, error) = TriggerListQuery.Parse(pairs.Where(p => p.Value is not null).Select(p => Pair(p.Name, p.Value!)));
        Assert.Null(error);
        return query!;
    }

    private static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);
}
