using System.Text.Json.Nodes;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>
/// A state. The input/output processing fields live here so the interpreter handles them in one place; the loader
/// allows on each state type only the fields the specification gives it.
/// </summary>
public abstract class State
{
    private static readonly JsonPath RootPath = JsonPath.Parse("$");

    /// <summary>The state's name (its key in States).</summary>
    public required string Name { get; init; }

    /// <summary>The Type field: Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map.</summary>
    public abstract string Type { get; }

    /// <summary>The next state, or null when the state ends its set (End, Succeed, Fail, Choice).</summary>
    public string? Next { get; init; }

    /// <summary>InputPath; null when the definition sets it to JSON null (the input becomes <c>{}</c>).</summary>
    public JsonPath? InputPath { get; init; } = RootPath;

    /// <summary>OutputPath; null when set to JSON null (the output becomes <c>{}</c>).</summary>
    public JsonPath? OutputPath { get; init; } = RootPath;

    /// <summary>InputPath selects from the context object (<c>$$</c>, <c>$$.Execution.Input</c>), as AWS allows.</summary>
    public bool InputPathFromContext { get; init; }

    /// <summary>OutputPath selects from the context object.</summary>
    public bool OutputPathFromContext { get; init; }

    /// <summary>ResultPath; null when set to JSON null (the result is discarded and the input passes through).</summary>
    public JsonPath? ResultPath { get; init; } = RootPath;

    internal PayloadTemplate? Parameters { get; init; }

    internal PayloadTemplate? ResultSelector { get; init; }

    /// <summary>The Retry field's retriers, in order.</summary>
    public IReadOnlyList<Retrier> Retry { get; init; } = [];

    /// <summary>The Catch field's catchers, in order.</summary>
    public IReadOnlyList<Catcher> Catch { get; init; } = [];

    /// <summary>The state names this state may transition to (Next, Choice targets, Default, catchers).</summary>
    public virtual IEnumerable<string> Targets()
    {
        if (Next is not null)
        {
            yield return Next;
        }
        foreach (var catcher in Catch)
        {
            yield return catcher.Next;
        }
    }

    /// <summary>A Pass state's Result (JSON null included), when it has one.</summary>
    internal JsonNode? StaticResult { get; init; }
}
