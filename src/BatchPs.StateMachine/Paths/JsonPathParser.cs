using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BatchPs.StateMachine.Paths;

/// <summary>Recursive-descent parser for <see cref="JsonPath"/> and its filter expressions.</summary>
internal sealed class JsonPathParser
{
    private readonly string _text;
    private int _pos;

    public JsonPathParser(string text)
    {
        _text = text;
    }

    public JsonPath ParseWhole()
    {
        var path = ParsePath('$', inFilter: false);
        if (_pos != _text.Length)
        {
            throw Error($"unexpected '{_text[_pos]}'");
        }
        return path;
    }

    private JsonPath ParsePath(char rootChar, bool inFilter)
    {
        var start = _pos;
        if (Peek() != rootChar)
        {
            throw Error($"a path starts with '{rootChar}'");
        }
        _pos++;
        var segments = new List<PathSegment>();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '.')
            {
                _pos++;
                var recursive = false;
                if (Peek() == '.')
                {
                    recursive = true;
                    _pos++;
                }
                if (Peek() == '*')
                {
                    _pos++;
                    segments.Add(new PathSegment(PathSegmentKind.Wildcard, recursive));
                }
                else if (recursive && Peek() == '[')
                {
                    segments.Add(ParseBracket(recursive: true));
                }
                else
                {
                    var name = ReadDotName(inFilter);
                    if (name.Length == 0)
                    {
                        throw Error("a name is expected after '.'");
                    }
                    segments.Add(new PathSegment(PathSegmentKind.Names, recursive) { Names = [name] });
                }
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket(recursive: false));
            }
            else if (inFilter)
            {
                break;
            }
            else
            {
                throw Error($"unexpected '{c}' (use .name or ['name'])");
            }
        }
        return new JsonPath(_text[start.._pos], segments);
    }

    private string ReadDotName(bool inFilter)
    {
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '.' || c == '[')
            {
                break;
            }
            if (inFilter && (char.IsWhiteSpace(c) || c is ')' or '=' or '!' or '<' or '>' or '&' or '|'))
            {
                break;
            }
            _pos++;
        }
        return _text[start.._pos];
    }

    private PathSegment ParseBracket(bool recursive)
    {
        _pos++; // '['
        SkipSpaces();
        PathSegment segment;
        var c = Peek();
        if (c == '*')
        {
            _pos++;
            segment = new PathSegment(PathSegmentKind.Wildcard, recursive);
        }
        else if (c == '?')
        {
            _pos++;
            SkipSpaces();
            Expect('(');
            var filter = ParseOr();
            SkipSpaces();
            Expect(')');
            segment = new PathSegment(PathSegmentKind.Filter, recursive) { Filter = filter };
        }
        else if (c is '\'' or '"')
        {
            var names = new List<string> { ReadQuoted(keepBackslashes: true) };
            SkipSpaces();
            while (Peek() == ',')
            {
                _pos++;
                SkipSpaces();
                names.Add(ReadQuoted(keepBackslashes: true));
                SkipSpaces();
            }
            segment = new PathSegment(PathSegmentKind.Names, recursive) { Names = names };
        }
        else
        {
            int? first = Peek() == ':' ? null : ReadInt();
            SkipSpaces();
            if (Peek() == ':')
            {
                _pos++;
                SkipSpaces();
                int? end = Peek() is ']' or ':' ? null : ReadInt();
                SkipSpaces();
                var step = 1;
                if (Peek() == ':')
                {
                    _pos++;
                    SkipSpaces();
                    step = Peek() == ']' ? 1 : ReadInt();
                    if (step == 0)
                    {
                        throw Error("a slice step cannot be 0");
                    }
                }
                segment = new PathSegment(PathSegmentKind.Slice, recursive) { SliceStart = first, SliceEnd = end, SliceStep = step };
            }
            else
            {
                var indexes = new List<int> { first!.Value };
                while (Peek() == ',')
                {
                    _pos++;
                    SkipSpaces();
                    indexes.Add(ReadInt());
                    SkipSpaces();
                }
                segment = new PathSegment(PathSegmentKind.Indexes, recursive) { Indexes = indexes };
            }
        }
        SkipSpaces();
        Expect(']');
        return segment;
    }

    private FilterExpression ParseOr()
    {
        var left = ParseAnd();
        while (TryConsume("||"))
        {
            left = new FilterExpression.Or(left, ParseAnd());
        }
        return left;
    }

    private FilterExpression ParseAnd()
    {
        var left = ParseUnary();
        while (TryConsume("&&"))
        {
            left = new FilterExpression.And(left, ParseUnary());
        }
        return left;
    }

    private FilterExpression ParseUnary()
    {
        SkipSpaces();
        if (Peek() == '!' && PeekAt(1) != '=')
        {
            _pos++;
            return new FilterExpression.Not(ParseUnary());
        }
        if (Peek() == '(')
        {
            _pos++;
            var inner = ParseOr();
            SkipSpaces();
            Expect(')');
            return inner;
        }
        var left = ParseOperand();
        SkipSpaces();
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            if (TryConsume(op))
            {
                return new FilterExpression.Compare(left, op, ParseOperand());
            }
        }
        return new FilterExpression.Exists(left);
    }

    private FilterOperand ParseOperand()
    {
        SkipSpaces();
        var c = Peek();
        if (c == '@')
        {
            return FilterOperand.ForPath(ParsePath('@', inFilter: true));
        }
        if (c is '\'' or '"')
        {
            return FilterOperand.ForLiteral(JsonValue.Create(ReadQuoted()));
        }
        foreach (var (word, value) in new (string, JsonNode?)[] { ("true", JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null) })
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                _pos += word.Length;
                return FilterOperand.ForLiteral(value);
            }
        }
        var start = _pos;
        while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] is '-' or '+' or '.' or 'e' or 'E'))
        {
            _pos++;
        }
        if (!JsonValues.TryParseNumber(_text[start.._pos], out var number))
        {
            throw Error("a filter operand is @path, a number, a quoted string, true, false or null");
        }
        return FilterOperand.ForLiteral(number);
    }

    /// <summary>
    /// A quoted string; a backslash makes the next character part of it. In a bracket name AWS keeps the backslash
    /// too (<c>$['Test\""Name"']</c> names the key <c>Test\""Name"</c>, as recorded in AWS); in a filter literal
    /// it is an escape.
    /// </summary>
    private string ReadQuoted(bool keepBackslashes = false)
    {
        var quote = Peek();
        _pos++;
        var sb = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                if (keepBackslashes)
                {
                    sb.Append('\\');
                }
                _pos++;
            }
            sb.Append(_text[_pos]);
            _pos++;
        }
        Expect(quote);
        return sb.ToString();
    }

    private int ReadInt()
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }
        while (_pos < _text.Length && char.IsDigit(_text[_pos]))
        {
            _pos++;
        }
        if (!int.TryParse(_text[start.._pos], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error("an index, a quoted name, '*' or a filter is expected inside [ ]");
        }
        return value;
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
        if (Peek() != c)
        {
            throw Error($"'{c}' expected");
        }
        _pos++;
    }

    private void SkipSpaces()
    {
        while (_pos < _text.Length && _text[_pos] == ' ')
        {
            _pos++;
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private char PeekAt(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private FormatException Error(string what) =>
        new($"Invalid JSONPath '{_text}' at position {_pos}: {what}.");
}
