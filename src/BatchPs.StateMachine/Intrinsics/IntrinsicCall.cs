using System.Text.Json.Nodes;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Intrinsics;

/// <summary>
/// A parsed intrinsic function call such as <c>States.Format('{} {}', $.a, States.UUID())</c>
/// (Step Functions developer guide, "Intrinsic functions for JSONPath states").
/// </summary>
internal sealed class IntrinsicCall : IntrinsicArgument
{
    public IntrinsicCall(string name, IReadOnlyList<IntrinsicArgument> arguments)
    {
        Name = name;
        Arguments = arguments;
    }

    public string Name { get; }
    public IReadOnlyList<IntrinsicArgument> Arguments { get; }

    /// <summary>Parses a whole call; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static IntrinsicCall Parse(string text) => new IntrinsicParser(text).ParseWhole();

    /// <summary>True when <paramref name="text"/> looks like a call (starts with <c>States.</c>).</summary>
    public static bool LooksLikeCall(string text) => text.StartsWith("States.", StringComparison.Ordinal);

    public override JsonNode? Evaluate(PathScope scope, string field) => IntrinsicFunctions.Invoke(this, scope, field);
}
