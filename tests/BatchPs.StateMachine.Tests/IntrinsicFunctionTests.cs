using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Intrinsics;
using BatchPs.StateMachine.Paths;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>Intrinsic functions whose results are not fixed (UUID, MathRandom) and argument limits
/// (developer guide, "Intrinsic functions for JSONPath states").</summary>
public sealed class IntrinsicFunctionTests
{
    private static JsonNode? Eval(string call, string input = "{}") =>
        IntrinsicCall.Parse(call).Evaluate(new PathScope(JsonNode.Parse(input), new JsonObject()), "field.$");

    private static StatesErrorException Fails(string call, string input = "{}") =>
        Assert.Throws<StatesErrorException>(() => Eval(call, input));

    [Fact]
    public void UUID_is_a_version_4_uuid_and_differs_each_call()
    {
        var a = Eval("States.UUID()")!.GetValue<string>();
        var b = Eval("States.UUID()")!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void MathRandom_is_within_start_inclusive_and_end_exclusive()
    {
        for (var i = 0; i < 200; i++)
        {
            var value = Eval("States.MathRandom(1, 4)")!.GetValue<long>();
            Assert.InRange(value, 1, 3);
        }
    }

    [Fact]
    public void MathRandom_with_a_seed_is_repeatable()
    {
        Assert.Equal(Eval("States.MathRandom(1, 1000, 7)")!.GetValue<long>(), Eval("States.MathRandom(1, 1000, 7)")!.GetValue<long>());
    }

    [Theory]
    [InlineData("States.ArrayRange(1, 2000, 1)", "at most 1000")]
    [InlineData("States.ArrayRange(1, 5, 0)", "step")]
    [InlineData("States.ArrayPartition($.a, 0)", "positive")]
    [InlineData("States.ArrayLength($.s)", "must be an array")]
    [InlineData("States.MathAdd($.s, 1)", "must be a number")]
    [InlineData("States.Hash($.s, 'SHA-3')", "SHA-3")]
    [InlineData("States.Base64Decode('%%%')", "Base64")]
    [InlineData("States.MathRandom(5, 5)", "greater")]
    [InlineData("States.JsonMerge($.a, $.s, false)", "objects")]
    public void Bad_argument_fails_with_IntrinsicFailure(string call, string expected)
    {
        var e = Fails(call, """{"a":[1,2],"s":"text"}""");
        Assert.Equal(StatesErrors.IntrinsicFailure, e.Error);
        Assert.Contains(expected, e.Cause);
    }

    [Fact]
    public void Base64Encode_refuses_more_than_10000_characters()
    {
        var e = Fails("States.Base64Encode($.s)", new JsonObject { ["s"] = new string('x', 10001) }.ToJsonString());
        Assert.Contains("10000", e.Cause);
    }

    [Fact]
    public void Missing_path_argument_is_a_runtime_error()
    {
        Assert.Equal(StatesErrors.Runtime, Fails("States.ArrayLength($.missing)").Error);
    }

    [Theory]
    [InlineData("States.Format('x'")]
    [InlineData("States.Format('unterminated)")]
    [InlineData("States.Format('bad \\n escape')")]
    [InlineData("States.Array(1) trailing")]
    [InlineData("States.Array(@)")]
    public void Malformed_call_is_refused_by_the_parser(string call)
    {
        Assert.Throws<FormatException>(() => IntrinsicCall.Parse(call));
    }

    [Fact]
    public void Path_argument_may_contain_commas_and_parentheses_in_brackets()
    {
        Asl.Equal("""["v",[2,3]]""", Eval("States.Array($['a,b'], $.c[?(@ > 1)])", """{"a,b":"v","c":[1,2,3]}"""));
    }

    [Fact]
    public void Nesting_deeper_than_ten_is_refused()
    {
        var call = string.Concat(Enumerable.Repeat("States.Array(", 11)) + string.Concat(Enumerable.Repeat(")", 11));
        var e = Assert.Throws<FormatException>(() => IntrinsicCall.Parse(call));
        Assert.Contains("10", e.Message);
    }
}
