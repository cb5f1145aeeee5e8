using System.Text.Json.Nodes;
using BatchPs.LocalStack.Cli;
using BatchPs.StateMachine.Runtime;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.LocalStack.Tests.Cli;

/// <summary>The execute verb: arguments, output, exit codes — and the conformance suite run through it.</summary>
public sealed class ExecuteCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batchps-execute-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var time = new ScaledTimeProvider();
        var code = await ExecuteCommand.RunAsync(args, TestResources.Create(time), stdout, stderr,
            new InterpreterOptions { TimeProvider = time }, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static TheoryData<string> Cases() => Conformance.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Conformance_case_through_execute_prints_the_expected_summary(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "conformance", name);
        var (code, stdout, stderr) = await RunAsync("--definition", Path.Combine(dir, "definition.json"), "--input", Path.Combine(dir, "input.json"), "--name", "conformance");
        Assert.True(stderr.Length == 0, stderr);
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "expected.json")))!.AsObject();
        var actual = JsonNode.Parse(stdout)!.AsObject();
        foreach (var optional in new[] { "cause", "transitionCount" })
        {
            if (!expected.ContainsKey(optional))
            {
                actual.Remove(optional);
            }
        }
        Asl.Equal(expected.ToJsonString(), actual);
        Assert.Equal(expected["status"]!.GetValue<string>() == "SUCCEEDED" ? ExecuteCommand.Succeeded : ExecuteCommand.ExecutionFailed, code);
    }

    [Fact]
    public async Task Substitutions_and_default_input_apply()
    {
        var definition = Write("d.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"table":"${Table}","name.$":"$$.Execution.Name"},"End":true}}}""");
        var (code, stdout, _) = await RunAsync("--definition", definition, "--substitute", "Table=Triggers=1");
        Assert.Equal(ExecuteCommand.Succeeded, code);
        Asl.Equal("""{"status":"SUCCEEDED","output":{"table":"Triggers=1","name":"execute"},"transitionCount":1}""", JsonNode.Parse(stdout));
    }

    [Fact]
    public async Task Failed_execution_prints_error_and_cause_and_exits_1()
    {
        var definition = Write("d.json", """{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Bad","Cause":"it's broken"}}}""");
        var (code, stdout, _) = await RunAsync("--definition", definition);
        Assert.Equal(ExecuteCommand.ExecutionFailed, code);
        Assert.Contains("\"cause\": \"it's broken\"", stdout);
        Asl.Equal("""{"status":"FAILED","error":"Bad","cause":"it's broken","transitionCount":1}""", JsonNode.Parse(stdout));
    }

    [Fact]
    public async Task Refused_definition_explains_on_stderr_and_exits_2()
    {
        var definition = Write("d.json", """{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var (code, stdout, stderr) = await RunAsync("--definition", definition);
        Assert.Equal(ExecuteCommand.UsageError, code);
        Assert.Empty(stdout);
        Assert.Contains("JSONata", stderr);
        Assert.Contains(definition, stderr);
    }

    [Theory]
    [InlineData(new string[0], "--definition FILE is required")]
    [InlineData(new[] { "--definition" }, "--definition needs a value")]
    [InlineData(new[] { "--colour", "red" }, "unknown argument '--colour'")]
    [InlineData(new[] { "--definition", "/nonexistent/d.json" }, "cannot read a file")]
    [InlineData(new[] { "--definition", "x", "--substitute", "NoEquals" }, "Name=Value")]
    public async Task Bad_arguments_exit_2_with_a_message(string[] args, string expected)
    {
        var (code, _, stderr) = await RunAsync(args);
        Assert.Equal(ExecuteCommand.UsageError, code);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task Invalid_input_json_exits_2()
    {
        var definition = Write("d.json", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        var input = Write("i.json", "{not json");
        var (code, _, stderr) = await RunAsync("--definition", definition, "--input", input);
        Assert.Equal(ExecuteCommand.UsageError, code);
        Assert.Contains("not valid JSON", stderr);
    }

    [Fact]
    public async Task Help_prints_the_usage()
    {
        var (code, stdout, _) = await RunAsync("--help");
        Assert.Equal(ExecuteCommand.Succeeded, code);
        Assert.Contains("--definition FILE", stdout);
    }
}
