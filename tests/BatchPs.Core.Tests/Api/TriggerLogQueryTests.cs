using BatchPs.Core.Api;

namespace BatchPs.Core.Tests.Api;

/// <summary>The log route's query: the token carries a byte offset (local) or the store's own cursor (CloudWatch Logs), never both.</summary>
public sealed class TriggerLogQueryTests
{
    private static (TriggerLogQuery? Query, ApiError? Error) Parse(params (string Name, string Value)[] pairs) =>
        TriggerLogQuery.Parse(pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));

    [Fact]
    public void A_cursor_token_reads_back_its_attempt_and_cursor()
    {
        var token = new TriggerLogQuery().EncodeToken(2, "f/38001575390823957178164326429563914412384532374388998144/s");

        var (query, error) = Parse(("nextToken", token));

        Assert.Null(error);
        Assert.Equal(2, query!.Attempt);
        Assert.Equal("f/38001575390823957178164326429563914412384532374388998144/s", query.Cursor);
        Assert.Null(query.Offset);
    }

    [Fact]
    public void An_offset_token_has_no_cursor()
    {
        var (query, _) = Parse(("nextToken", new TriggerLogQuery().EncodeToken(1, 4096L)));

        Assert.Equal(4096L, query!.Offset);
        Assert.Null(query.Cursor);
    }

    [Fact]
    public void A_token_with_both_an_offset_and_a_cursor_or_neither_is_refused()
    {
        var both = PageToken.Encode(new System.Text.Json.Nodes.JsonObject { ["a"] = 1, ["c"] = null, ["o"] = 0, ["t"] = "f/1/s" });
        var neither = PageToken.Encode(new System.Text.Json.Nodes.JsonObject { ["a"] = 1, ["c"] = null });

        Assert.Equal("nextToken", Parse(("nextToken", both)).Error!.Field);
        Assert.Equal("nextToken", Parse(("nextToken", neither)).Error!.Field);
    }

    [Fact]
    public void A_cursor_token_of_another_attempt_is_refused()
    {
        var (_, error) = Parse(("attempt", "1"), ("nextToken", new TriggerLogQuery().EncodeToken(2, "f/1/s")));

        Assert.Equal(ErrorCodes.InvalidRequest, error!.Code);
        Assert.Contains("this attempt", error.Message);
    }
}
