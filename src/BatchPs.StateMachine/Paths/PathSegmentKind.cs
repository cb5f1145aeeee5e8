namespace BatchPs.StateMachine.Paths;

/// <summary>What one step of a <see cref="JsonPath"/> selects.</summary>
internal enum PathSegmentKind
{
    /// <summary>One or more member names: <c>.a</c>, <c>['a']</c>, <c>['a','b']</c>.</summary>
    Names,
    /// <summary>One or more array indexes: <c>[0]</c>, <c>[-1]</c>, <c>[0,2]</c>.</summary>
    Indexes,
    /// <summary>Every member or element: <c>.*</c>, <c>[*]</c>.</summary>
    Wildcard,
    /// <summary>An array slice: <c>[start:end:step]</c>.</summary>
    Slice,
    /// <summary>A filter: <c>[?(@.price &lt; 10)]</c>.</summary>
    Filter,
}
