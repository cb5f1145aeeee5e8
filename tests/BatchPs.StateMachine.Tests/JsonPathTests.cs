using System.Text.Json.Nodes;
using BatchPs.StateMachine.Paths;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>The JSONPath subset (states-language.net "Paths" and "Reference Paths").</summary>
public sealed class JsonPathTests
{
    private static readonly JsonNode Store = JsonNode.Parse("""
        {"store":{"book":[{"title":"A","price":8.95,"isbn":"1"},{"title":"B","price":12.99},{"title":"C","price":22.99,"isbn":"3"}],"bicycle":{"price":19.95}},
         "nothing":null}
        """)!;

    [Theory]
    [InlineData("$.store.book[0].title", "\"A\"")]
    [InlineData("$['store']['bicycle'].price", "19.95")]
    [InlineData("$.store.book[-1].title", "\"C\"")]
    [InlineData("$.nothing", "null")]
    public void Reference_path_selects_one_value(string path, string expected)
    {
        var parsed = JsonPath.Parse(path);
        Assert.True(parsed.IsReferencePath);
        Assert.True(parsed.TryEvaluate(Store, out var value));
        Asl.Equal(expected, value);
    }

    [Theory]
    [InlineData("$.store.book[*].title", """["A","B","C"]""")]
    [InlineData("$..price", """[8.95,12.99,22.99,19.95]""")]
    [InlineData("$.store.book[?(@.isbn)].title", """["A","C"]""")]
    [InlineData("$.store.book[?(@.price > 10 && @.price < 20)].title", """["B"]""")]
    [InlineData("$.store.book[?(@.title == 'C' || @.price < 9)].title", """["A","C"]""")]
    [InlineData("$.store.book[?(!(@.price > 10))].title", """["A"]""")]
    [InlineData("$.store.book[0,2].title", """["A","C"]""")]
    [InlineData("$.store.book[1:].title", """["B","C"]""")]
    [InlineData("$.store.book[::-1].title", """["C","B","A"]""")]
    [InlineData("$.store.book[5:].title", """[]""")]
    public void Indefinite_path_gives_an_array_of_matches(string path, string expected)
    {
        var parsed = JsonPath.Parse(path);
        Assert.False(parsed.IsReferencePath);
        Assert.True(parsed.TryEvaluate(Store, out var value));
        Asl.Equal(expected, value);
    }

    [Theory]
    [InlineData("$.missing")]
    [InlineData("$.store.book[9]")]
    [InlineData("$.store.bicycle.price.currency")]
    public void Reference_path_to_nothing_does_not_evaluate(string path)
    {
        Assert.False(JsonPath.Parse(path).TryEvaluate(Store, out _));
    }

    [Theory]
    [InlineData("store.book")]
    [InlineData("$.")]
    [InlineData("$[")]
    [InlineData("$['unterminated]")]
    [InlineData("$[1:2:0]")]
    [InlineData("$..")]
    public void Malformed_path_is_refused(string path)
    {
        var e = Assert.Throws<FormatException>(() => JsonPath.Parse(path));
        Assert.Contains(path, e.Message);
    }
}
