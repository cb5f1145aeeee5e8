using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Intrinsics;
using BatchPs.StateMachine.Paths;
using BatchPs.TestSupport;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>Mangled input never crashes a parser: it is refused with the parser's own error, saying where.</summary>
public sealed class ParserRobustnessTests
{
    [Fact]
    public void Mangled_paths_parse_or_fail_with_FormatException()
    {
        var input = JsonNode.Parse("""{"a":{"b":[1,{"c":2}]},"x y":3}""");
        foreach (var text in TextMutations.Of("$.a.b[1]['c'][?(@.c > 1 && @.d)]..e[0:2]", 3000, 1))
        {
            try
            {
                JsonPath.Parse(text).TryEvaluate(input, out _);
            }
            catch (FormatException e)
            {
                Assert.Contains("Invalid JSONPath", e.Message);
            }
        }
    }

    [Fact]
    public void Mangled_intrinsics_parse_or_fail_with_FormatException()
    {
        var scope = new PathScope(JsonNode.Parse("""{"a":[1,2],"s":"x"}"""), new JsonObject());
        foreach (var text in TextMutations.Of("States.Format('{} \\{ {}', States.ArrayGetItem($.a, 0), $['s'])", 3000, 2))
        {
            try
            {
                IntrinsicCall.Parse(text).Evaluate(scope, "f.$");
            }
            catch (FormatException)
            {
            }
            catch (StatesErrorException e)
            {
                Assert.Contains(e.Error, new[] { StatesErrors.IntrinsicFailure, StatesErrors.Runtime });
            }
        }
    }

    [Fact]
    public void Mangled_definitions_load_or_fail_with_DefinitionException()
    {
        var resources = TestResources.Create(TimeProvider.System);
        var root = Path.Combine(AppContext.BaseDirectory, "conformance");
        var seed = 0;
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(Path.Combine(dir, "definition.json"));
            foreach (var mangled in TextMutations.Of(text, 60, ++seed))
            {
                try
                {
                    Loading.DefinitionLoader.Load(mangled, resources);
                }
                catch (Loading.DefinitionException)
                {
                }
            }
        }
    }

    [Theory]
    [InlineData("Type", "[1]")]
    [InlineData("Next", "{}")]
    [InlineData("End", "\"yes\"")]
    [InlineData("InputPath", "42")]
    [InlineData("Parameters", "null")]
    [InlineData("Comment", "{}")]
    [InlineData("Retry", "{}")]
    [InlineData("Catch", "[null]")]
    public void Wrongly_typed_fields_are_refused_with_DefinitionException(string field, string value)
    {
        var state = JsonNode.Parse("""{"Type":"Task","Resource":"arn:batchps:test:echo","Next":"B"}""")!.AsObject();
        state[field] = JsonNode.Parse(value);
        if (field == "End")
        {
            state.Remove("Next");
        }
        var definition = new JsonObject
        {
            ["StartAt"] = "A",
            ["States"] = new JsonObject { ["A"] = state, ["B"] = new JsonObject { ["Type"] = "Succeed" } },
        };
        try
        {
            Loading.DefinitionLoader.Load(definition.ToJsonString(), TestResources.Create(TimeProvider.System));
        }
        catch (Loading.DefinitionException)
        {
        }
    }

    [Fact]
    public void Any_field_of_the_wrong_type_is_refused_with_DefinitionException()
    {
        var resources = TestResources.Create(TimeProvider.System);
        var replacements = new[] { "null", "1", "-1", "\"x\"", "\"$.x\"", "true", "[]", "{}", "[1]", "{\"a\":1}" };
        var refused = 0;
        var tried = 0;
        foreach (var dir in Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "conformance")))
        {
            var original = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "definition.json")))!;
            var count = Count(original);
            for (var target = 1; target < count; target++)
            {
                foreach (var replacement in replacements)
                {
                    var copy = original.DeepClone();
                    var n = 0;
                    Replace(copy, target, JsonNode.Parse(replacement), ref n);
                    tried++;
                    try
                    {
                        Loading.DefinitionLoader.Load(copy.ToJsonString(), resources);
                    }
                    catch (Loading.DefinitionException)
                    {
                        refused++;
                    }
                }
            }
        }
        Assert.True(refused > tried / 2, $"only {refused} of {tried} mutated definitions were refused");
    }

    private static int Count(JsonNode? node) => 1 + node switch
    {
        JsonObject o => o.Sum(p => Count(p.Value)),
        JsonArray a => a.Sum(Count),
        _ => 0,
    };

    /// <summary>Replaces the node number <paramref name="target"/> (pre-order) with <paramref name="replacement"/>.</summary>
    private static bool Replace(JsonNode? node, int target, JsonNode? replacement, ref int n)
    {
        n++;
        IEnumerable<(Action<JsonNode?> Set, JsonNode? Child)> children = node switch
        {
            JsonObject o => o.ToList().Select(p => ((Action<JsonNode?>)(v => o[p.Key] = v), p.Value)),
            JsonArray a => a.Select((c, i) => ((Action<JsonNode?>)(v => a[i] = v), c)).ToList(),
            _ => [],
        };
        foreach (var (set, child) in children)
        {
            if (n + 1 == target)
            {
                set(replacement);
                return true;
            }
            if (Replace(child, target, replacement, ref n))
            {
                return true;
            }
        }
        return false;
    }
}
