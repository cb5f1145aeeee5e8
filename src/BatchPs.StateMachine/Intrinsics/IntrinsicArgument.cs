using System.Text.Json.Nodes;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Intrinsics;

/// <summary>One argument of an intrinsic function call: a literal, a path, or a nested call.</summary>
internal abstract class IntrinsicArgument
{
    /// <summary>The value of the argument (a fresh node the caller may attach anywhere).</summary>
    public abstract JsonNode? Evaluate(PathScope scope, string field);

    internal sealed class Literal(JsonNode? value, string? rawString) : IntrinsicArgument
    {
        /// <summary>For a string literal: its text with <c>\{</c>, <c>\}</c> and <c>\\</c> kept escaped (States.Format needs them).</summary>
        public string? RawString { get; } = rawString;

        public override JsonNode? Evaluate(PathScope scope, string field) => JsonValues.Clone(value);
    }

    internal sealed class Path(PathReference reference) : IntrinsicArgument
    {
        public override JsonNode? Evaluate(PathScope scope, string field) => reference.Evaluate(scope, field);
    }
}
