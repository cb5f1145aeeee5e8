using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>
/// A JSONPath filter (<c>?(...)</c>): comparisons (<c>== != &lt; &lt;= &gt; &gt;=</c>) of <c>@</c> paths and
/// literals, existence tests (<c>@.isbn</c>), <c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses.
/// </summary>
internal abstract class FilterExpression
{
    public abstract bool Matches(JsonNode? item);

    internal sealed class Or(FilterExpression left, FilterExpression right) : FilterExpression
    {
        public override bool Matches(JsonNode? item) => left.Matches(item) || right.Matches(item);
    }

    internal sealed class And(FilterExpression left, FilterExpression right) : FilterExpression
    {
        public override bool Matches(JsonNode? item) => left.Matches(item) && right.Matches(item);
    }

    internal sealed class Not(FilterExpression inner) : FilterExpression
    {
        public override bool Matches(JsonNode? item) => !inner.Matches(item);
    }

    /// <summary>An operand alone: true when the path selects something truthy-present (exists), or a literal true.</summary>
    internal sealed class Exists(FilterOperand operand) : FilterExpression
    {
        public override bool Matches(JsonNode? item) =>
            operand.TryGet(item, out var value) && !(value is JsonValue v && v.GetValueKind() == JsonValueKind.False);
    }

    internal sealed class Compare(FilterOperand left, string op, FilterOperand right) : FilterExpression
    {
        public override bool Matches(JsonNode? item)
        {
            if (!left.TryGet(item, out var a) || !right.TryGet(item, out var b))
            {
                return op == "!=";
            }
            if (JsonValues.TryGetNumber(a, out var x) && JsonValues.TryGetNumber(b, out var y))
            {
                return op switch
                {
                    "==" => x == y,
                    "!=" => x != y,
                    "<" => x < y,
                    "<=" => x <= y,
                    ">" => x > y,
                    _ => x >= y,
                };
            }
            if (a is JsonValue sa && sa.TryGetValue<string>(out var s) && b is JsonValue sb && sb.TryGetValue<string>(out var t))
            {
                var c = string.CompareOrdinal(s, t);
                return op switch
                {
                    "==" => c == 0,
                    "!=" => c != 0,
                    "<" => c < 0,
                    "<=" => c <= 0,
                    ">" => c > 0,
                    _ => c >= 0,
                };
            }
            return op switch
            {
                "==" => JsonNode.DeepEquals(a, b),
                "!=" => !JsonNode.DeepEquals(a, b),
                _ => false,
            };
        }
    }
}
