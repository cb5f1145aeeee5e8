using System.Collections;
using BatchPs.Core.Client;

namespace BatchPs.Core.Tests.Client;

public sealed class TriggerParameterConverterTests
{
    private static Dictionary<string, string> Convert(IDictionary parameters) => TriggerParameterConverter.Convert(parameters, v => v);

    [Fact]
    public void Scalars_convert_invariantly()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var result = Convert(new Hashtable
            {
                ["s"] = "text", ["i"] = 42, ["d"] = 1.5, ["m"] = 2.25m, ["b"] = false,
                ["t"] = new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.FromHours(1)),
                ["g"] = Guid.Parse("0b7c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"), ["e"] = DayOfWeek.Tuesday,
            });
            Assert.Equal("text", result["s"]);
            Assert.Equal("42", result["i"]);
            Assert.Equal("1.5", result["d"]);
            Assert.Equal("2.25", result["m"]);
            Assert.Equal("false", result["b"]);
            Assert.Equal("2026-11-24T07:00:00.0000000+01:00", result["t"]);
            Assert.Equal("0b7c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", result["g"]);
            Assert.Equal("Tuesday", result["e"]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Fact]
    public void A_list_value_is_refused_with_the_parameter_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => Convert(new Hashtable { ["files"] = new[] { "a", "b" } }));
        Assert.Contains("'files'", ex.Message);
        Assert.Contains("-join", ex.Message);
    }

    [Fact]
    public void A_null_value_is_refused() =>
        Assert.Contains("'x' is null", Assert.Throws<ArgumentException>(() => Convert(new Hashtable { ["x"] = null })).Message);

    [Fact]
    public void A_non_string_name_is_refused() =>
        Assert.Throws<ArgumentException>(() => Convert(new Hashtable { [1] = "one" }));

    [Fact]
    public void The_unwrap_function_sees_keys_and_values()
    {
        var result = TriggerParameterConverter.Convert(new Hashtable { ["k"] = new Box(7) }, v => v is Box b ? b.Value : v);
        Assert.Equal("7", result["k"]);
    }

    private sealed record Box(int Value);
}
