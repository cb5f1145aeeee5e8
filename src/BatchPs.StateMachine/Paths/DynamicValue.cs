using System.Text.Json.Nodes;
using BatchPs.StateMachine.Intrinsics;

namespace BatchPs.StateMachine.Paths;

/// <summary>The value of a <c>"name.$"</c> field: a path into the input, a path into the context object, or an intrinsic call.</summary>
internal sealed class DynamicValue
{
    private readonly PathReference? _path;
    private readonly IntrinsicCall? _call;

    private DynamicValue(string text, PathReference? path, IntrinsicCall? call)
    {
        Text = text;
        _path = path;
        _call = call;
    }

    public string Text { get; }

    /// <summary>Parses <c>$...</c>, <c>$$...</c> or <c>States.Fn(...)</c>; throws <see cref="FormatException"/>.</summary>
    public static DynamicValue Parse(string text)
    {
        if (text.StartsWith('$'))
        {
            return new DynamicValue(text, PathReference.Parse(text), null);
        }
        if (IntrinsicCall.LooksLikeCall(text))
        {
            return new DynamicValue(text, null, IntrinsicCall.Parse(text));
        }
        throw new FormatException($"'{text}' is neither a path ($... or $$...) nor an intrinsic function (States.Name(...)).");
    }

    public JsonNode? Evaluate(PathScope scope, string field) =>
        _path is not null ? _path.Evaluate(scope, field) : _call!.Evaluate(scope, field);
}
