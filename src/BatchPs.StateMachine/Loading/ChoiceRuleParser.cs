using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Model;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Loading;

/// <summary>Parses and checks Choice Rules (states-language.net "Choice Rules").</summary>
internal static class ChoiceRuleParser
{
    private static readonly string[] Combinators = { "And", "Or", "Not" };
    public static ChoiceRule Parse(JsonNode? node, string location, bool topLevel)
    {
        if (node is not JsonObject obj)
        {
            throw new DefinitionException("a Choice Rule must be a JSON object.", location);
        }
        string? next = null;
        if (topLevel)
        {
            next = obj["Next"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
                : throw new DefinitionException("a top-level Choice Rule needs \"Next\" (the state to go to when it matches).", location);
        }
        else if (obj.ContainsKey("Next"))
        {
            throw new DefinitionException("\"Next\" is allowed only on a top-level Choice Rule, not inside And, Or or Not.", location);
        }
        if (obj.ContainsKey("Assign") || obj.ContainsKey("Condition"))
        {
            throw new DefinitionException("\"Assign\" and \"Condition\" (workflow variables, JSONata) are not supported by this interpreter; use Variable and a comparison operator.", location);
        }

        var combinators = Combinators.Where(obj.ContainsKey).ToList();
        if (combinators.Count > 0)
        {
            if (combinators.Count > 1 || obj.ContainsKey("Variable"))
            {
                throw new DefinitionException("a Choice Rule has either Variable with one comparison operator, or exactly one of And, Or, Not.", location);
            }
            CheckFields(obj, location, combinators[0]);
            var op = combinators[0];
            if (op == "Not")
            {
                return new ChoiceNot { Next = next, Rule = Parse(obj["Not"], location + ".Not", topLevel: false) };
            }
            if (obj[op] is not JsonArray rules || rules.Count == 0)
            {
                throw new DefinitionException($"\"{op}\" takes a non-empty array of Choice Rules.", location);
            }
            return new ChoiceCombination
            {
                Next = next,
                IsAnd = op == "And",
                Rules = rules.Select((r, i) => Parse(r, $"{location}.{op}[{i}]", topLevel: false)).ToList(),
            };
        }

        if (!JsonValues.TryGetString(obj["Variable"], out var variable))
        {
            throw new DefinitionException("a comparison rule needs \"Variable\" (a path such as \"$.status\") and one comparison operator.", location);
        }
        var operators = obj.Select(p => p.Key).Where(k => k is not ("Variable" or "Next" or "Comment")).ToList();
        if (operators.Count != 1)
        {
            throw new DefinitionException(
                operators.Count == 0
                    ? "the rule has Variable but no comparison operator (e.g. StringEquals, NumericLessThan, IsPresent)."
                    : $"a comparison rule takes exactly one operator, not {string.Join(", ", operators)}.",
                location);
        }
        var name = operators[0];
        var isPath = name.EndsWith("Path", StringComparison.Ordinal) && ChoiceComparison.Operators.Contains(name[..^4]) && !name.StartsWith("Is", StringComparison.Ordinal) && name != "StringMatchesPath";
        var baseName = isPath ? name[..^4] : name;
        if (!ChoiceComparison.Operators.Contains(baseName))
        {
            throw new DefinitionException($"\"{name}\" is not a comparison operator (known: {string.Join(", ", ChoiceComparison.Operators)} and their *Path forms).", location);
        }
        var variablePath = ParsePath(variable, location + ".Variable");
        var operand = obj[name];
        if (isPath)
        {
            if (!JsonValues.TryGetString(operand, out var pathText))
            {
                throw new DefinitionException($"\"{name}\" takes a path string.", location);
            }
            return new ChoiceComparison { Next = next, Variable = variable, Operator = name, VariablePath = variablePath, OperandPath = ParsePath(pathText, location + "." + name) };
        }
        CheckOperand(baseName, operand, location);
        return new ChoiceComparison { Next = next, Variable = variable, Operator = name, VariablePath = variablePath, Operand = operand?.DeepClone() };
    }

    private static void CheckOperand(string op, JsonNode? operand, string location)
    {
        var kind = JsonValues.Kind(operand);
        var ok = op switch
        {
            _ when op.StartsWith("Is", StringComparison.Ordinal) || op == "BooleanEquals" => kind is JsonValueKind.True or JsonValueKind.False,
            _ when op.StartsWith("String", StringComparison.Ordinal) => kind == JsonValueKind.String,
            _ when op.StartsWith("Numeric", StringComparison.Ordinal) => kind == JsonValueKind.Number,
            _ => JsonValues.TryGetString(operand, out var t) && Timestamps.TryParse(t, out _),
        };
        if (!ok)
        {
            var expected = op switch
            {
                _ when op.StartsWith("Is", StringComparison.Ordinal) || op == "BooleanEquals" => "true or false",
                _ when op.StartsWith("String", StringComparison.Ordinal) => "a string",
                _ when op.StartsWith("Numeric", StringComparison.Ordinal) => "a number",
                _ => "an RFC 3339 timestamp string such as \"2016-03-14T01:59:00Z\"",
            };
            throw new DefinitionException($"\"{op}\" takes {expected}, not {JsonValues.Serialize(operand)}.", location);
        }
    }

    private static PathReference ParsePath(string text, string location)
    {
        try
        {
            return PathReference.Parse(text);
        }
        catch (FormatException e)
        {
            throw new DefinitionException(e.Message, location, e);
        }
    }

    private static void CheckFields(JsonObject obj, string location, string combinator)
    {
        foreach (var pair in obj)
        {
            if (pair.Key is not ("Next" or "Comment") && pair.Key != combinator)
            {
                throw new DefinitionException($"unknown field \"{pair.Key}\" in a {combinator} rule.", location);
            }
        }
    }
}
