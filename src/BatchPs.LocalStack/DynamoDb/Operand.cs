using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>A value in an expression: a document path, a <c>:value</c>, a function, or <c>a + b</c> / <c>a - b</c>.</summary>
internal abstract class Operand
{
    /// <summary>The attribute value, or null when a path names nothing.</summary>
    public abstract JsonNode? Evaluate(JsonObject? item);

    internal sealed class Path(DocumentPath path) : Operand
    {
        public DocumentPath DocumentPath { get; } = path;

        public override JsonNode? Evaluate(JsonObject? item) => DocumentPath.Get(item)?.DeepClone();
    }

    internal sealed class Value(JsonNode value) : Operand
    {
        public JsonNode Node { get; } = value;

        public override JsonNode? Evaluate(JsonObject? item) => Node.DeepClone();
    }

    internal sealed class IfNotExists(DocumentPath path, Operand fallback) : Operand
    {
        public override JsonNode? Evaluate(JsonObject? item) => path.Get(item)?.DeepClone() ?? fallback.Evaluate(item);
    }

    internal sealed class ListAppend(Operand first, Operand second) : Operand
    {
        public override JsonNode? Evaluate(JsonObject? item)
        {
            var a = first.Evaluate(item);
            var b = second.Evaluate(item);
            if (a?["L"] is not JsonArray left || b?["L"] is not JsonArray right)
            {
                throw DynamoDbErrors.Invalid("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append");
            }
            return new JsonObject { ["L"] = new JsonArray([.. left.Select(n => n?.DeepClone()), .. right.Select(n => n?.DeepClone())]) };
        }
    }

    internal sealed class Size(DocumentPath path) : Operand
    {
        public override JsonNode? Evaluate(JsonObject? item)
        {
            var value = path.Get(item);
            if (value is null)
            {
                return null;
            }
            var type = AttributeValues.TypeOf(value);
            int? size = type switch
            {
                "S" => value["S"]!.GetValue<string>().Length,
                "B" => Convert.FromBase64String(value["B"]!.GetValue<string>()).Length,
                "M" => value["M"]!.AsObject().Count,
                "L" or "SS" or "NS" or "BS" => value[type]!.AsArray().Count,
                _ => null,
            };
            return size is { } n ? AttributeValues.FromNumber(n) : null;
        }
    }

    internal sealed class Arithmetic(Operand left, char op, Operand right) : Operand
    {
        public override JsonNode? Evaluate(JsonObject? item)
        {
            var a = left.Evaluate(item);
            var b = right.Evaluate(item);
            if (a is null || b is null)
            {
                throw DynamoDbErrors.Invalid("The provided expression refers to an attribute that does not exist in the item");
            }
            if (AttributeValues.TypeOf(a) != "N" || AttributeValues.TypeOf(b) != "N")
            {
                throw DynamoDbErrors.Invalid($"An operand in the update expression has an incorrect data type; operator: {op}");
            }
            var x = AttributeValues.Number(a);
            var y = AttributeValues.Number(b);
            return AttributeValues.FromNumber(op == '+' ? x + y : x - y);
        }
    }
}
