using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>A ConditionExpression (DynamoDB developer guide, "Condition expressions"): comparisons, BETWEEN, IN,
/// functions, AND, OR, NOT and parentheses.</summary>
internal abstract class Condition
{
    public abstract bool Evaluate(JsonObject? item);

    internal sealed class Comparison(Operand left, string op, Operand right) : Condition
    {
        public override bool Evaluate(JsonObject? item)
        {
            var a = left.Evaluate(item);
            var b = right.Evaluate(item);
            switch (op)
            {
                case "=":
                    return AttributeValues.Equal(a, b);
                case "<>":
                    return !AttributeValues.Equal(a, b);
            }
            var order = AttributeValues.Compare(a, b);
            return order is { } c && op switch
            {
                "<" => c < 0,
                "<=" => c <= 0,
                ">" => c > 0,
                _ => c >= 0,
            };
        }
    }

    internal sealed class Between(Operand value, Operand low, Operand high) : Condition
    {
        public override bool Evaluate(JsonObject? item)
        {
            var v = value.Evaluate(item);
            return AttributeValues.Compare(v, low.Evaluate(item)) is >= 0 && AttributeValues.Compare(v, high.Evaluate(item)) is <= 0;
        }
    }

    internal sealed class In(Operand value, IReadOnlyList<Operand> candidates) : Condition
    {
        public override bool Evaluate(JsonObject? item)
        {
            var v = value.Evaluate(item);
            return candidates.Any(c => AttributeValues.Equal(v, c.Evaluate(item)));
        }
    }

    internal sealed class Exists(DocumentPath path, bool expected) : Condition
    {
        public override bool Evaluate(JsonObject? item) => (path.Get(item) is not null) == expected;
    }

    internal sealed class AttributeType(DocumentPath path, Operand type) : Condition
    {
        public override bool Evaluate(JsonObject? item)
        {
            var value = path.Get(item);
            var wanted = type.Evaluate(item)?["S"]?.GetValue<string>();
            return value is not null && AttributeValues.TypeOf(value) == wanted;
        }
    }

    internal sealed class BeginsWith(DocumentPath path, Operand prefix) : Condition
    {
        public override bool Evaluate(JsonObject? item)
        {
            var value = path.Get(item);
            var start = prefix.Evaluate(item);
            return value?["S"] is JsonValue s && start?["S"] is JsonValue p
                && s.GetValue<string>().StartsWith(p.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    internal sealed class Contains(DocumentPath path, Operand operand) : Condition
    {
        public override bool Evaluate(JsonObject? item)
        {
            var value = path.Get(item);
            var wanted = operand.Evaluate(item);
            if (value is null || wanted is null)
            {
                return false;
            }
            return AttributeValues.TypeOf(value) switch
            {
                "S" => wanted["S"] is JsonValue w && value["S"]!.GetValue<string>().Contains(w.GetValue<string>(), StringComparison.Ordinal),
                "SS" or "NS" or "BS" => value.AsObject().First().Value!.AsArray().Any(e => AttributeValues.Equal(
                    new JsonObject { [AttributeValues.TypeOf(value)[..1]] = e?.DeepClone() }, wanted)),
                "L" => value["L"]!.AsArray().Any(e => AttributeValues.Equal(e, wanted)),
                _ => false,
            };
        }
    }

    internal sealed class And(Condition left, Condition right) : Condition
    {
        public override bool Evaluate(JsonObject? item) => left.Evaluate(item) && right.Evaluate(item);
    }

    internal sealed class Or(Condition left, Condition right) : Condition
    {
        public override bool Evaluate(JsonObject? item) => left.Evaluate(item) || right.Evaluate(item);
    }

    internal sealed class Not(Condition inner) : Condition
    {
        public override bool Evaluate(JsonObject? item) => !inner.Evaluate(item);
    }
}
