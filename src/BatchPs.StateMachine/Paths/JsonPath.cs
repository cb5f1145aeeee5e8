using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>
/// A compiled JSONPath as Step Functions accepts it (states-language.net "Paths"): <c>$</c>, dot and bracket member
/// names, indexes, <c>*</c>, <c>..</c>, slices, unions and filters. A Reference Path (ResultPath, Choice variables
/// in AWS' stricter reading) uses only single names and indexes: see <see cref="IsReferencePath"/>.
/// </summary>
public sealed class JsonPath
{
    private readonly IReadOnlyList<PathSegment> _segments;

    internal JsonPath(string text, IReadOnlyList<PathSegment> segments)
    {
        Text = text;
        _segments = segments;
        IsReferencePath = segments.All(s => s.IsDefinite);
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>True when the path can select at most one node (only single names and indexes).</summary>
    public bool IsReferencePath { get; }

    /// <summary>True for <c>$</c> alone.</summary>
    public bool IsRoot => _segments.Count == 0;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static JsonPath Parse(string text) => new JsonPathParser(text).ParseWhole();

    /// <summary>Every node the path selects (JSON null values included), in document order.</summary>
    public IReadOnlyList<JsonNode?> Select(JsonNode? root)
    {
        var current = new List<JsonNode?> { root };
        foreach (var segment in _segments)
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (segment.Recursive)
                {
                    foreach (var descendant in SelfAndDescendants(node))
                    {
                        segment.Apply(descendant, next);
                    }
                }
                else
                {
                    segment.Apply(node, next);
                }
            }
            current = next;
        }
        return current;
    }

    /// <summary>
    /// Evaluates the path as a value: for a reference path the one node selected (false when none); otherwise a
    /// new array of the matches (Step Functions' behaviour for indefinite paths).
    /// </summary>
    public bool TryEvaluate(JsonNode? root, out JsonNode? value)
    {
        var matches = Select(root);
        if (IsReferencePath)
        {
            value = matches.Count == 1 ? matches[0] : null;
            return matches.Count == 1;
        }
        value = new JsonArray(matches.Select(JsonValues.Clone).ToArray());
        return true;
    }

    /// <summary>
    /// Returns <paramref name="input"/> with <paramref name="value"/> placed at this reference path (ResultPath
    /// semantics: missing objects on the way are created). Null when the path does not fit the input.
    /// </summary>
    internal bool TryWrite(JsonNode? input, JsonNode? value, out JsonNode? output, out string problem)
    {
        problem = "";
        if (IsRoot)
        {
            output = value;
            return true;
        }
        output = JsonValues.Clone(input);
        JsonNode? current = output;
        for (var i = 0; i < _segments.Count; i++)
        {
            var segment = _segments[i];
            var last = i == _segments.Count - 1;
            if (segment.Kind == PathSegmentKind.Names)
            {
                if (current is not JsonObject obj)
                {
                    problem = $"'{Text}' needs an object at step {i + 1}, but the input has {JsonValues.Kind(current)} there";
                    return false;
                }
                var name = segment.Names[0];
                if (last)
                {
                    obj[name] = value;
                    return true;
                }
                if (!obj.TryGetPropertyValue(name, out var child) || child is null)
                {
                    child = new JsonObject();
                    obj[name] = child;
                }
                current = child;
            }
            else
            {
                if (current is not JsonArray arr)
                {
                    problem = $"'{Text}' needs an array at step {i + 1}, but the input has {JsonValues.Kind(current)} there";
                    return false;
                }
                var index = segment.Indexes[0] < 0 ? arr.Count + segment.Indexes[0] : segment.Indexes[0];
                if (index < 0 || index >= arr.Count)
                {
                    problem = $"'{Text}' indexes past the end of an array of {arr.Count}";
                    return false;
                }
                if (last)
                {
                    arr[index] = value;
                    return true;
                }
                current = arr[index];
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static IEnumerable<JsonNode?> SelfAndDescendants(JsonNode? node)
    {
        yield return node;
        if (node is JsonObject obj)
        {
            foreach (var pair in obj)
            {
                foreach (var d in SelfAndDescendants(pair.Value))
                {
                    yield return d;
                }
            }
        }
        else if (node is JsonArray arr)
        {
            foreach (var item in arr)
            {
                foreach (var d in SelfAndDescendants(item))
                {
                    yield return d;
                }
            }
        }
    }
}
