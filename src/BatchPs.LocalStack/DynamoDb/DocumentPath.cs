using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>A document path in an expression: <c>a.b[2].#c</c>, placeholders already resolved.</summary>
internal sealed class DocumentPath
{
    public DocumentPath(IReadOnlyList<object> segments, string text)
    {
        Segments = segments;
        Text = text;
    }

    /// <summary>Each segment: a string (attribute or map key) or an int (list index).</summary>
    public IReadOnlyList<object> Segments { get; }

    public string Text { get; }

    public string TopLevel => (string)Segments[0];

    /// <summary>The attribute value at the path, or null when there is none.</summary>
    public JsonNode? Get(JsonObject? item)
    {
        var container = item is null ? null : Container(item, Segments.Count - 1);
        return Child(container, Segments[^1]);
    }

    /// <summary>Sets the value at the path; the containers on the way must exist (as in DynamoDB).</summary>
    public void Set(JsonObject item, JsonNode value)
    {
        switch (Container(item, Segments.Count - 1), Segments[^1])
        {
            case (JsonObject map, string name):
                map[name] = value;
                break;
            case (JsonArray list, int index):
                if (index < list.Count)
                {
                    list[index] = value;
                }
                else
                {
                    list.Add(value);
                }
                break;
            default:
                throw DynamoDbErrors.Invalid($"The document path provided in the update expression is invalid for update: {Text}");
        }
    }

    /// <summary>Removes the value at the path, if there is one.</summary>
    public void Remove(JsonObject item)
    {
        switch (Container(item, Segments.Count - 1), Segments[^1])
        {
            case (JsonObject map, string name):
                map.Remove(name);
                break;
            case (JsonArray list, int index) when index < list.Count:
                list.RemoveAt(index);
                break;
        }
    }

    /// <summary>The map (JsonObject of attribute values) or list that holds segment <paramref name="upto"/>.</summary>
    private JsonNode? Container(JsonObject item, int upto)
    {
        JsonNode? container = item;
        for (var i = 0; i < upto; i++)
        {
            var value = Child(container, Segments[i]);
            container = Segments[i + 1] is int ? value?["L"] : value?["M"];
            if (container is null)
            {
                return null;
            }
        }
        return container;
    }

    private static JsonNode? Child(JsonNode? container, object segment) => (container, segment) switch
    {
        (JsonObject map, string name) => map.TryGetPropertyValue(name, out var v) ? v : null,
        (JsonArray list, int index) => index < list.Count ? list[index] : null,
        _ => null,
    };
}
