using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;

namespace BatchPs.StateMachine.Paths;

/// <summary>A path into the state input (<c>$...</c>) or into the context object (<c>$$...</c>).</summary>
internal sealed class PathReference
{
    private PathReference(string text, JsonPath path, bool context)
    {
        Text = text;
        Path = path;
        IsContext = context;
    }

    public string Text { get; }
    public JsonPath Path { get; }
    public bool IsContext { get; }

    /// <summary>Parses <c>$...</c> or <c>$$...</c>; throws <see cref="FormatException"/>.</summary>
    public static PathReference Parse(string text) =>
        text.StartsWith("$$", StringComparison.Ordinal)
            ? new PathReference(text, JsonPath.Parse(text[1..]), context: true)
            : new PathReference(text, JsonPath.Parse(text), context: false);

    public bool TryEvaluate(PathScope scope, out JsonNode? value) =>
        Path.TryEvaluate(IsContext ? scope.Context : scope.Input, out value);

    /// <summary>The selected value (a clone); a States.Runtime error naming <paramref name="field"/> when nothing matches.</summary>
    public JsonNode? Evaluate(PathScope scope, string field)
    {
        if (!TryEvaluate(scope, out var value))
        {
            throw StatesErrorException.Runtime(
                $"The JSONPath '{Text}' specified for the field '{field}' could not be found in the {(IsContext ? "context object" : "input")} '{JsonValues.Serialize(IsContext ? scope.Context : scope.Input)}'");
        }
        return JsonValues.Clone(value);
    }
}
