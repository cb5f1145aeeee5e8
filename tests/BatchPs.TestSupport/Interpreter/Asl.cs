using System.Text.Json.Nodes;
using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.TestSupport.Interpreter;

/// <summary>Test helpers: load and run a definition with the test resources on a fast clock.</summary>
public static class Asl
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static async Task<ExecutionResult> RunAsync(string definition, string input = "{}", TaskResourceRegistry? resources = null,
        InterpreterOptions? options = null, string name = "conformance")
    {
        var time = options?.TimeProvider ?? new ScaledTimeProvider();
        resources ??= TestResources.Create(time);
        var loaded = DefinitionLoader.Load(definition, resources);
        var interpreter = new StateMachineInterpreter(loaded, resources, options ?? new InterpreterOptions { TimeProvider = time });
        using var cts = new CancellationTokenSource(Deadline);
        return await interpreter.StartAsync(name, JsonNode.Parse(input), cancellationToken: cts.Token);
    }

    public static DefinitionException LoadFails(string definition, TaskResourceRegistry? resources = null) =>
        Assert.Throws<DefinitionException>(() => DefinitionLoader.Load(definition, resources ?? TestResources.Create(TimeProvider.System)));

    public static void Equal(string expectedJson, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), actual),
            $"expected {JsonNode.Parse(expectedJson)?.ToJsonString()}\n but got {actual?.ToJsonString() ?? "null"}");
}
