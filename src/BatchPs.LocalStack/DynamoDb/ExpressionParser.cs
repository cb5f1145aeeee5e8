using System.Globalization;
using System.Text.Json.Nodes;

namespace BatchPs.LocalStack.DynamoDb;

/// <summary>
/// Parses DynamoDB condition and update expressions. Placeholders (<c>#name</c>, <c>:value</c>) are resolved
/// through <see cref="ExpressionAttributes"/>. Keywords are case-insensitive; function names are not.
/// </summary>
internal sealed class ExpressionParser
{
    private static readonly string[] Clauses = ["SET", "REMOVE", "ADD", "DELETE"];
    private readonly string _text;
    private readonly ExpressionAttributes _attributes;
    private readonly string _kind;
    private int _pos;

    public ExpressionParser(string text, ExpressionAttributes attributes, string kind)
    {
        _text = text;
        _attributes = attributes;
        _kind = kind;
    }

    public Condition ParseCondition()
    {
        var condition = ParseOr();
        SkipSpaces();
        if (_pos < _text.Length)
        {
            throw Error($"unexpected \"{_text[_pos..]}\"");
        }
        return condition;
    }

    public IReadOnlyList<UpdateAction> ParseUpdate()
    {
        var actions = new List<UpdateAction>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        SkipSpaces();
        while (_pos < _text.Length)
        {
            var clause = ReadWord().ToUpperInvariant();
            if (!Clauses.Contains(clause))
            {
                throw Error($"\"{clause}\" is not SET, REMOVE, ADD or DELETE");
            }
            if (!seen.Add(clause))
            {
                throw Error($"the {clause} section can only be used once in an update expression");
            }
            do
            {
                SkipSpaces();
                var path = ParsePath();
                Operand? value = null;
                if (clause == "SET")
                {
                    Expect('=');
                    value = ParseSetValue();
                }
                else if (clause is "ADD" or "DELETE")
                {
                    SkipSpaces();
                    value = ParseOperand();
                    if (value is not Operand.Value)
                    {
                        throw Error($"{clause} takes an expression attribute value (:value)");
                    }
                }
                actions.Add(new UpdateAction(clause, path, value));
                SkipSpaces();
            }
            while (TryConsume(","));
            SkipSpaces();
        }
        if (actions.Count == 0)
        {
            throw Error("the expression is empty");
        }
        var paths = actions.Select(a => a.Path.Text).ToList();
        var twice = paths.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw DynamoDbErrors.Invalid($"Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [{twice.Key}], path two: [{twice.Key}]");
        }
        return actions;
    }

    private Operand ParseSetValue()
    {
        var left = ParseOperand();
        SkipSpaces();
        if (Peek() is '+' or '-')
        {
            var op = _text[_pos++];
            return new Operand.Arithmetic(left, op, ParseOperand());
        }
        return left;
    }

    private Condition ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("OR"))
        {
            left = new Condition.Or(left, ParseAnd());
        }
        return left;
    }

    private Condition ParseAnd()
    {
        var left = ParseNot();
        while (TryKeyword("AND"))
        {
            left = new Condition.And(left, ParseNot());
        }
        return left;
    }

    private Condition ParseNot()
    {
        if (TryKeyword("NOT"))
        {
            return new Condition.Not(ParseNot());
        }
        SkipSpaces();
        if (Peek() == '(')
        {
            _pos++;
            var inner = ParseOr();
            Expect(')');
            return inner;
        }
        return ParseComparison();
    }

    private Condition ParseComparison()
    {
        SkipSpaces();
        var start = _pos;
        var word = PeekWord();
        switch (word)
        {
            case "attribute_exists":
            case "attribute_not_exists":
            {
                ReadWord();
                Expect('(');
                var path = ParsePath();
                Expect(')');
                return new Condition.Exists(path, word == "attribute_exists");
            }
            case "attribute_type":
            case "begins_with":
            case "contains":
            {
                ReadWord();
                Expect('(');
                var path = ParsePath();
                Expect(',');
                SkipSpaces();
                var operand = ParseOperand();
                Expect(')');
                return word switch
                {
                    "attribute_type" => new Condition.AttributeType(path, operand),
                    "begins_with" => new Condition.BeginsWith(path, operand),
                    _ => new Condition.Contains(path, operand),
                };
            }
        }
        _pos = start;
        var left = ParseOperand();
        SkipSpaces();
        if (TryKeyword("BETWEEN"))
        {
            SkipSpaces();
            var low = ParseOperand();
            if (!TryKeyword("AND"))
            {
                throw Error("BETWEEN needs AND");
            }
            SkipSpaces();
            return new Condition.Between(left, low, ParseOperand());
        }
        if (TryKeyword("IN"))
        {
            Expect('(');
            var candidates = new List<Operand>();
            do
            {
                SkipSpaces();
                candidates.Add(ParseOperand());
                SkipSpaces();
            }
            while (TryConsume(","));
            Expect(')');
            return new Condition.In(left, candidates);
        }
        foreach (var op in new[] { "<>", "<=", ">=", "=", "<", ">" })
        {
            if (TryConsume(op))
            {
                SkipSpaces();
                return new Condition.Comparison(left, op, ParseOperand());
            }
        }
        throw Error("a comparison (=, <>, <, <=, >, >=, BETWEEN, IN) or a function is expected");
    }

    private Operand ParseOperand()
    {
        SkipSpaces();
        if (Peek() == ':')
        {
            return new Operand.Value(_attributes.Value(ReadPlaceholder()));
        }
        var word = PeekWord();
        switch (word)
        {
            case "if_not_exists":
            {
                ReadWord();
                Expect('(');
                var path = ParsePath();
                Expect(',');
                var fallback = ParseOperand();
                Expect(')');
                return new Operand.IfNotExists(path, fallback);
            }
            case "list_append":
            {
                ReadWord();
                Expect('(');
                var first = ParseOperand();
                Expect(',');
                var second = ParseOperand();
                Expect(')');
                return new Operand.ListAppend(first, second);
            }
            case "size":
            {
                ReadWord();
                Expect('(');
                var path = ParsePath();
                Expect(')');
                return new Operand.Size(path);
            }
        }
        return new Operand.Path(ParsePath());
    }

    private DocumentPath ParsePath()
    {
        SkipSpaces();
        var segments = new List<object>();
        var start = _pos;
        segments.Add(ReadName());
        while (true)
        {
            if (Peek() == '.')
            {
                _pos++;
                segments.Add(ReadName());
            }
            else if (Peek() == '[')
            {
                _pos++;
                var digits = _pos;
                while (char.IsDigit(Peek()))
                {
                    _pos++;
                }
                if (digits == _pos)
                {
                    throw Error("a list index is a non-negative integer");
                }
                segments.Add(int.Parse(_text[digits.._pos], CultureInfo.InvariantCulture));
                Expect(']');
            }
            else
            {
                break;
            }
        }
        return new DocumentPath(segments, _text[start.._pos]);
    }

    private string ReadName()
    {
        if (Peek() == '#')
        {
            return _attributes.Name(ReadPlaceholder());
        }
        var name = ReadWord();
        if (name.Length == 0)
        {
            throw Error("an attribute name or #placeholder is expected");
        }
        return name;
    }

    private string ReadPlaceholder()
    {
        var start = _pos++;
        while (char.IsLetterOrDigit(Peek()) || Peek() == '_')
        {
            _pos++;
        }
        return _text[start.._pos];
    }

    private string ReadWord()
    {
        SkipSpaces();
        var start = _pos;
        while (char.IsLetterOrDigit(Peek()) || Peek() is '_' or '-')
        {
            _pos++;
        }
        return _text[start.._pos];
    }

    private string PeekWord()
    {
        var start = _pos;
        var word = ReadWord();
        SkipSpaces();
        var isCall = Peek() == '(';
        _pos = start;
        return isCall ? word : "";
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpaces();
        var start = _pos;
        if (string.Equals(ReadWord(), keyword, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        _pos = start;
        return false;
    }

    private bool TryConsume(string token)
    {
        SkipSpaces();
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0)
        {
            _pos += token.Length;
            return true;
        }
        return false;
    }

    private void Expect(char c)
    {
        SkipSpaces();
        if (Peek() != c)
        {
            throw Error($"\"{c}\" expected");
        }
        _pos++;
    }

    private void SkipSpaces()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private BatchPs.StateMachine.Errors.StatesErrorException Error(string what) =>
        DynamoDbErrors.Invalid($"Invalid {_kind}: {what} at position {_pos} of \"{_text}\"");
}
