using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>
/// A comparison rule: <c>Variable</c> and one operator (states-language.net "Choice Rules"). A value of the wrong
/// type makes the comparison false; a Variable (or a *Path operand) that selects nothing is a States.Runtime error,
/// except for IsPresent.
/// </summary>
public sealed class ChoiceComparison : ChoiceRule
{
    /// <summary>The operators the specification defines, without their *Path forms.</summary>
    public static readonly IReadOnlyList<string> Operators =
    [
        "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches",
        "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
        "BooleanEquals",
        "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
        "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
    ];

    private Regex? _matcher;

    /// <summary>The Variable path text.</summary>
    public required string Variable { get; init; }

    /// <summary>The operator, e.g. <c>NumericLessThanPath</c>.</summary>
    public required string Operator { get; init; }

    internal PathReference VariablePath { get; init; } = null!;

    /// <summary>The literal operand (null for *Path operators).</summary>
    internal JsonNode? Operand { get; init; }

    /// <summary>The operand's path for *Path operators.</summary>
    internal PathReference? OperandPath { get; init; }

    internal override bool Evaluate(PathScope scope)
    {
        var found = VariablePath.TryEvaluate(scope, out var value);
        if (Operator == "IsPresent")
        {
            return found == IsTrue(Operand);
        }
        if (!found)
        {
            throw StatesErrorException.Runtime($"Invalid path '{Variable}': The choice state's condition path references an invalid value.");
        }
        var operand = Operand;
        if (OperandPath is not null && !OperandPath.TryEvaluate(scope, out operand))
        {
            throw StatesErrorException.Runtime($"Invalid path '{OperandPath.Text}': The choice state's condition path references an invalid value.");
        }
        var op = OperandPath is not null ? Operator[..^4] : Operator;
        switch (op)
        {
            case "IsNull":
                return (value is null) == IsTrue(operand);
            case "IsNumeric":
                return (JsonValues.Kind(value) == JsonValueKind.Number) == IsTrue(operand);
            case "IsString":
                return (JsonValues.Kind(value) == JsonValueKind.String) == IsTrue(operand);
            case "IsBoolean":
                return (JsonValues.Kind(value) is JsonValueKind.True or JsonValueKind.False) == IsTrue(operand);
            case "IsTimestamp":
                return (JsonValues.TryGetString(value, out var t) && Timestamps.TryParse(t, out _)) == IsTrue(operand);
            case "BooleanEquals":
                return JsonValues.Kind(value) is JsonValueKind.True or JsonValueKind.False
                    && JsonValues.Kind(operand) is JsonValueKind.True or JsonValueKind.False
                    && JsonValues.Kind(value) == JsonValues.Kind(operand);
            case "StringMatches":
                return JsonValues.TryGetString(value, out var text) && Matcher().IsMatch(text);
        }
        if (op.StartsWith("String", StringComparison.Ordinal))
        {
            return JsonValues.TryGetString(value, out var a) && JsonValues.TryGetString(operand, out var b)
                && Holds(op["String".Length..], string.CompareOrdinal(a, b));
        }
        if (op.StartsWith("Numeric", StringComparison.Ordinal))
        {
            return JsonValues.TryGetNumber(value, out var a) && JsonValues.TryGetNumber(operand, out var b)
                && Holds(op["Numeric".Length..], a.CompareTo(b));
        }
        // Timestamp*
        return JsonValues.TryGetString(value, out var x) && Timestamps.TryParse(x, out var tx)
            && JsonValues.TryGetString(operand, out var y) && Timestamps.TryParse(y, out var ty)
            && Holds(op["Timestamp".Length..], tx.CompareTo(ty));
    }

    private static bool Holds(string relation, int comparison) => relation switch
    {
        "Equals" => comparison == 0,
        "LessThan" => comparison < 0,
        "GreaterThan" => comparison > 0,
        "LessThanEquals" => comparison <= 0,
        _ => comparison >= 0,
    };

    private static bool IsTrue(JsonNode? node) => JsonValues.Kind(node) == JsonValueKind.True;

    /// <summary>StringMatches: <c>*</c> matches any run of characters; <c>\*</c> and <c>\\</c> are a literal <c>*</c> and <c>\</c>.</summary>
    private Regex Matcher()
    {
        if (_matcher is null)
        {
            var pattern = Operand!.GetValue<string>();
            var sb = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '\\' && i + 1 < pattern.Length)
                {
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                }
                else if (c == '*')
                {
                    sb.Append(".*");
                }
                else
                {
                    sb.Append(Regex.Escape(c.ToString()));
                }
            }
            _matcher = new Regex(sb.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }
        return _matcher;
    }
}
