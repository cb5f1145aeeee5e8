using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>One step of a compiled <see cref="JsonPath"/>.</summary>
internal sealed class PathSegment
{
    public PathSegment(PathSegmentKind kind, bool recursive)
    {
        Kind = kind;
        Recursive = recursive;
    }

    public PathSegmentKind Kind { get; }

    /// <summary>True after <c>..</c>: the step applies to the node and all its descendants.</summary>
    public bool Recursive { get; }

    public IReadOnlyList<string> Names { get; init; } = [];
    public IReadOnlyList<int> Indexes { get; init; } = [];
    public int? SliceStart { get; init; }
    public int? SliceEnd { get; init; }
    public int SliceStep { get; init; } = 1;
    public FilterExpression? Filter { get; init; }

    /// <summary>True for a step that selects at most one node (a single name or index, not recursive).</summary>
    public bool IsDefinite => !Recursive
        && ((Kind == PathSegmentKind.Names && Names.Count == 1) || (Kind == PathSegmentKind.Indexes && Indexes.Count == 1));

    public void Apply(JsonNode? node, List<JsonNode?> results)
    {
        switch (Kind)
        {
            case PathSegmentKind.Names:
                if (node is JsonObject obj)
                {
                    foreach (var name in Names)
                    {
                        if (obj.TryGetPropertyValue(name, out var value))
                        {
                            results.Add(value);
                        }
                    }
                }
                break;
            case PathSegmentKind.Indexes:
                if (node is JsonArray arr)
                {
                    foreach (var index in Indexes)
                    {
                        var i = index < 0 ? arr.Count + index : index;
                        if (i >= 0 && i < arr.Count)
                        {
                            results.Add(arr[i]);
                        }
                    }
                }
                break;
            case PathSegmentKind.Wildcard:
                if (node is JsonObject all)
                {
                    foreach (var pair in all)
                    {
                        results.Add(pair.Value);
                    }
                }
                else if (node is JsonArray items)
                {
                    results.AddRange(items);
                }
                break;
            case PathSegmentKind.Slice:
                if (node is JsonArray list)
                {
                    ApplySlice(list, results);
                }
                break;
            case PathSegmentKind.Filter:
                if (node is JsonArray candidates)
                {
                    foreach (var item in candidates)
                    {
                        if (Filter!.Matches(item))
                        {
                            results.Add(item);
                        }
                    }
                }
                else if (node is JsonObject members)
                {
                    foreach (var pair in members)
                    {
                        if (Filter!.Matches(pair.Value))
                        {
                            results.Add(pair.Value);
                        }
                    }
                }
                break;
        }
    }

    private void ApplySlice(JsonArray list, List<JsonNode?> results)
    {
        var count = list.Count;
        static int Clamp(int value, int count) => value < 0 ? Math.Max(0, count + value) : Math.Min(value, count);
        if (SliceStep > 0)
        {
            var start = SliceStart is { } s ? Clamp(s, count) : 0;
            var end = SliceEnd is { } e ? Clamp(e, count) : count;
            for (var i = start; i < end; i += SliceStep)
            {
                results.Add(list[i]);
            }
        }
        else
        {
            var start = SliceStart is { } s ? Math.Min(s < 0 ? count + s : s, count - 1) : count - 1;
            var end = SliceEnd is { } e ? (e < 0 ? count + e : e) : -1;
            for (var i = start; i > end && i >= 0; i += SliceStep)
            {
                results.Add(list[i]);
            }
        }
    }
}
