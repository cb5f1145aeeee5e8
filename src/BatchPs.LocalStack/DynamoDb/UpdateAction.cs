using System.Globalization;
using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>One action of an UpdateExpression (DynamoDB developer guide, "Update expressions"): SET, REMOVE, ADD, DELETE.</summary>
internal sealed class UpdateAction
{
    public UpdateAction(string clause, DocumentPath path, Operand? value)
    {
        Clause = clause;
        Path = path;
        Value = value;
    }

    public string Clause { get; }
    public DocumentPath Path { get; }
    public Operand? Value { get; }

    /// <summary>Applies the action to <paramref name="item"/>; operands are evaluated on <paramref name="before"/>, as DynamoDB does.</summary>
    public void Apply(JsonObject item, JsonObject? before)
    {
        switch (Clause)
        {
            case "SET":
                Path.Set(item, Value!.Evaluate(before) ?? throw DynamoDbErrors.Invalid("The provided expression refers to an attribute that does not exist in the item"));
                break;
            case "REMOVE":
                Path.Remove(item);
                break;
            case "ADD":
                Add(item);
                break;
            default:
                Delete(item);
                break;
        }
    }

    private void Add(JsonObject item)
    {
        var addend = Value!.Evaluate(null)!;
        var type = AttributeValues.TypeOf(addend);
        var current = Path.Get(item);
        if (type == "N")
        {
            if (current is not null && AttributeValues.TypeOf(current) != "N")
            {
                throw DynamoDbErrors.Invalid("An operand in the update expression has an incorrect data type");
            }
            var sum = (current is null ? 0 : AttributeValues.Number(current)) + AttributeValues.Number(addend);
            Path.Set(item, AttributeValues.FromNumber(sum));
            return;
        }
        if (type is not ("SS" or "NS" or "BS") || (current is not null && AttributeValues.TypeOf(current) != type))
        {
            throw DynamoDbErrors.Invalid("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD");
        }
        var added = new JsonArray();
        foreach (var element in (current is null ? [] : current[type]!.AsArray()).Concat(addend[type]!.AsArray()))
        {
            var text = element!.GetValue<string>();
            if (!added.Any(a => SameElement(a!.GetValue<string>(), text, type)))
            {
                added.Add(text);
            }
        }
        Path.Set(item, new JsonObject { [type] = added });
    }

    private void Delete(JsonObject item)
    {
        var removed = Value!.Evaluate(null)!;
        var type = AttributeValues.TypeOf(removed);
        var current = Path.Get(item);
        if (current is null)
        {
            return;
        }
        if (type is not ("SS" or "NS" or "BS") || AttributeValues.TypeOf(current) != type)
        {
            throw DynamoDbErrors.Invalid("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE");
        }
        var gone = removed[type]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        var kept = current[type]!.AsArray().Select(e => e!.GetValue<string>()).Where(e => !gone.Any(g => SameElement(g, e, type))).ToList();
        if (kept.Count == 0)
        {
            Path.Remove(item);
        }
        else
        {
            Path.Set(item, new JsonObject { [type] = new JsonArray(kept.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray()) });
        }
    }

    private static bool SameElement(string a, string b, string type) =>
        type == "NS"
            ? decimal.Parse(a, CultureInfo.InvariantCulture) == decimal.Parse(b, CultureInfo.InvariantCulture)
            : string.Equals(a, b, StringComparison.Ordinal);
}
