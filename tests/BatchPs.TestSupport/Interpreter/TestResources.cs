using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.TestSupport.Interpreter;

/// <summary>
/// The in-test Task resources the conformance definitions use, registered through the plugin seam
/// (<see cref="TaskResourceRegistry"/>). Each answers from its Parameters only, so results are deterministic.
/// </summary>
public static class TestResources
{
    public const string Echo = "arn:batchps:test:echo";
    public const string Add = "arn:batchps:test:add";
    public const string Fail = "arn:batchps:test:fail";
    public const string Flaky = "arn:batchps:test:flaky";
    public const string Sleep = "arn:batchps:test:sleep";

    public static TaskResourceRegistry Create(TimeProvider time) => new TaskResourceRegistry()
        // Returns its Parameters (the effective input) unchanged.
        .Add(Echo, (invocation, _) => Task.FromResult(invocation.Parameters?.DeepClone()))
        // {"val1": a, "val2": b} -> a + b (the specification's "Numbers to add" task).
        .Add(Add, (invocation, _) => Task.FromResult<JsonNode?>(
            JsonValue.Create(invocation.Parameters!["val1"]!.GetValue<double>() + invocation.Parameters!["val2"]!.GetValue<double>())))
        // {"Error": e, "Cause": c} -> fails with that error.
        .Add(Fail, (invocation, _) => throw new StatesErrorException(
            invocation.Parameters!["Error"]!.GetValue<string>(), invocation.Parameters?["Cause"]?.GetValue<string>()))
        // {"failures": n, "Error": e} -> fails its first n attempts with e, then returns {"attempts": n + 1}.
        .Add(Flaky, (invocation, _) =>
        {
            var failures = invocation.Parameters!["failures"]!.GetValue<int>();
            if (invocation.RetryCount < failures)
            {
                throw new StatesErrorException(invocation.Parameters!["Error"]!.GetValue<string>(), $"attempt {invocation.RetryCount + 1} failed");
            }
            return Task.FromResult<JsonNode?>(new JsonObject { ["attempts"] = invocation.RetryCount + 1 });
        })
        // {"seconds": n} -> waits n seconds on the interpreter's clock, then returns {"slept": n}.
        .Add(Sleep, async (invocation, token) =>
        {
            var seconds = invocation.Parameters!["seconds"]!.GetValue<int>();
            await Task.Delay(TimeSpan.FromSeconds(seconds), time, token);
            return new JsonObject { ["slept"] = seconds };
        });
}
