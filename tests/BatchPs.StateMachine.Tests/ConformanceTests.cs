using System.Text.Json.Nodes;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>
/// The conformance suite: every folder under conformance/ holds definition.json (its Comment cites the section of
/// the specification or developer guide the case comes from), input.json and expected.json — the summary the
/// `execute` command prints: status, output or error/cause, and transitionCount.
/// </summary>
public sealed class ConformanceTests
{
    private static readonly string Root = Conformance.Root;

    public static TheoryData<string> Cases() => Conformance.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Definition_gives_the_expected_result(string name)
    {
        var dir = Path.Combine(Root, name);
        var definition = await File.ReadAllTextAsync(Path.Combine(dir, "definition.json"));
        var inputFile = Path.Combine(dir, "input.json");
        var input = File.Exists(inputFile) ? await File.ReadAllTextAsync(inputFile) : "{}";
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "expected.json")))!.AsObject();

        var result = await Asl.RunAsync(definition, input);
        var actual = result.ToSummary();
        if (!expected.ContainsKey("cause"))
        {
            actual.Remove("cause");
        }
        if (!expected.ContainsKey("transitionCount"))
        {
            actual.Remove("transitionCount");
        }
        Asl.Equal(expected.ToJsonString(), actual);
    }

    [Fact]
    public void Every_case_has_a_definition_and_an_expected_result()
    {
        var dirs = Directory.GetDirectories(Root);
        Assert.True(dirs.Length >= 40, $"only {dirs.Length} conformance cases");
        foreach (var dir in dirs)
        {
            Assert.True(File.Exists(Path.Combine(dir, "definition.json")), dir);
            Assert.True(File.Exists(Path.Combine(dir, "expected.json")), dir);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_cites_its_source(string name)
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, name, "definition.json")))!;
        var comment = definition["Comment"]?.GetValue<string>() ?? "";
        Assert.True(comment.Contains("states-language.net", StringComparison.Ordinal) || comment.Contains("developer guide", StringComparison.Ordinal),
            $"{name}: the Comment should cite states-language.net or the Step Functions developer guide");
    }
}
