using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>
/// A compiled payload template (Parameters, ResultSelector, ItemSelector; states-language.net "Payload Template"):
/// static JSON in which every field whose name ends in <c>.$</c> is replaced, at run time, by the value its path or
/// intrinsic function gives, under the name without <c>.$</c>.
/// </summary>
internal sealed class PayloadTemplate
{
    private readonly JsonNode? _static;
    private readonly List<(string Name, string Field, PayloadTemplate? Nested, DynamicValue? Dynamic)>? _members;
    private readonly List<PayloadTemplate>? _items;

    private PayloadTemplate(JsonNode? staticValue, List<(string, string, PayloadTemplate?, DynamicValue?)>? members, List<PayloadTemplate>? items)
    {
        _static = staticValue;
        _members = members;
        _items = items;
    }

    /// <summary>Compiles <paramref name="node"/>; throws <see cref="FormatException"/> naming the bad field.</summary>
    public static PayloadTemplate Compile(JsonNode? node, string field)
    {
        switch (node)
        {
            case JsonObject obj:
                var members = new List<(string, string, PayloadTemplate?, DynamicValue?)>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pair in obj)
                {
                    var path = field + "." + pair.Key;
                    if (pair.Key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        var name = pair.Key[..^2];
                        if (!JsonValues.TryGetString(pair.Value, out var text))
                        {
                            throw new FormatException($"{path}: a field ending in '.$' takes a string (a path or an intrinsic function), not {JsonValues.Kind(pair.Value)}.");
                        }
                        DynamicValue dynamic;
                        try
                        {
                            dynamic = DynamicValue.Parse(text);
                        }
                        catch (FormatException e)
                        {
                            throw new FormatException($"{path}: {e.Message}", e);
                        }
                        if (!seen.Add(name))
                        {
                            throw new FormatException($"{path}: the field '{name}' is given twice (with and without '.$').");
                        }
                        members.Add((name, pair.Key, null, dynamic));
                    }
                    else
                    {
                        if (!seen.Add(pair.Key))
                        {
                            throw new FormatException($"{path}: the field '{pair.Key}' is given twice (with and without '.$').");
                        }
                        members.Add((pair.Key, pair.Key, Compile(pair.Value, path), null));
                    }
                }
                return new PayloadTemplate(null, members, null);
            case JsonArray arr:
                return new PayloadTemplate(null, null, arr.Select((item, i) => Compile(item, $"{field}[{i}]")).ToList());
            default:
                return new PayloadTemplate(JsonValues.Clone(node), null, null);
        }
    }

    /// <summary>Builds the payload for <paramref name="scope"/>; path failures are States.Runtime errors.</summary>
    public JsonNode? Evaluate(PathScope scope)
    {
        if (_members is not null)
        {
            var result = new JsonObject();
            foreach (var (name, field, nested, dynamic) in _members)
            {
                result[name] = dynamic is not null ? dynamic.Evaluate(scope, field) : nested!.Evaluate(scope);
            }
            return result;
        }
        if (_items is not null)
        {
            return new JsonArray(_items.Select(i => i.Evaluate(scope)).ToArray());
        }
        return JsonValues.Clone(_static);
    }
}
