using System.Diagnostics;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Runtime;
using BatchPs.Core.Triggers;

namespace BatchPs.Bench;

/// <summary>
/// Issue 5's figures: state transitions per trigger for the shipped definition on the local stack (a 1-second
/// and a 60-second job: the count must not grow with the job's duration), and the interpreter's throughput.
/// </summary>
internal static class WorkflowBench
{
    /// <summary>The catalog entries the transition figures run.</summary>
    public const string Jobs = """
        {"name": "sleep-1s", "command": ["sleep", "1"]}, {"name": "sleep-60s", "command": ["sleep", "60"]}
        """;

    /// <summary>Sends a 1-second and a 60-second job at once and returns each execution's transitionCount.</summary>
    public static async Task<(int OneSecond, int SixtySeconds)> TransitionsPerTriggerAsync(HttpClient http)
    {
        var short1 = await Api.SendAsync(http, "sleep-1s");
        var long60 = await Api.SendAsync(http, "sleep-60s");
        return (await TransitionsAsync(http, short1.TriggerId), await TransitionsAsync(http, long60.TriggerId));
    }

    private static async Task<int> TransitionsAsync(HttpClient http, string triggerId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var record = await Api.GetAsync(http, triggerId);
            if (record.IsFinal)
            {
                if (record.Status != TriggerStatus.SUCCEEDED) throw new InvalidOperationException($"{record.JobName} ended {record.Status}: {record.StatusReason}");
                var history = JsonNode.Parse(await http.GetStringAsync($"triggers/{triggerId}/history"))!;
                if ((string?)history["status"] == "SUCCEEDED") return (int)history["transitionCount"]!;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Trigger {triggerId}'s execution did not end within 3 minutes.");
    }

    /// <summary>
    /// Transitions per second of the interpreter alone (no checkpoint sink): a Pass/Choice loop of
    /// <paramref name="iterations"/> rounds, run <paramref name="runs"/> times after a warm-up.
    /// </summary>
    public static async Task<double> InterpreterThroughputAsync(int iterations, int runs)
    {
        var definition = DefinitionLoader.Load($$"""
            {"StartAt": "Init", "States": {
              "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Increment"},
              "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Loop?"},
              "Loop?": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": {{iterations}}, "Next": "Increment"}], "Default": "Done"},
              "Done": {"Type": "Succeed"} } }
            """, new TaskResourceRegistry());
        var interpreter = new StateMachineInterpreter(definition, new TaskResourceRegistry());
        await interpreter.StartAsync("warm-up", new JsonObject());
        long transitions = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            var result = await interpreter.StartAsync("run-" + i, new JsonObject());
            if (result.Status != ExecutionStatus.SUCCEEDED) throw new InvalidOperationException($"The loop ended {result.Status}: {result.Error} {result.Cause}");
            transitions += result.TransitionCount;
        }
        return transitions / clock.Elapsed.TotalSeconds;
    }
}
