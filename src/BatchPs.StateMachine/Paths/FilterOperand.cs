using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>One side of a filter comparison: a path relative to the item (<c>@...</c>) or a JSON literal.</summary>
internal sealed class FilterOperand
{
    private readonly JsonPath? _path;
    private readonly JsonNode? _literal;

    private FilterOperand(JsonPath? path, JsonNode? literal)
    {
        _path = path;
        _literal = literal;
    }

    public static FilterOperand ForPath(JsonPath path) => new(path, null);

    public static FilterOperand ForLiteral(JsonNode? literal) => new(null, literal);

    public bool TryGet(JsonNode? item, out JsonNode? value)
    {
        if (_path is null)
        {
            value = _literal;
            return true;
        }
        var matches = _path.Select(item);
        value = matches.Count == 1 ? matches[0] : null;
        return matches.Count == 1;
    }
}
