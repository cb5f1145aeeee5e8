using System.Text;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Intrinsics;

/// <summary>Parses intrinsic calls: string literals in single quotes (escapes <c>\' \{ \} \\</c>), numbers,
/// <c>true</c>, <c>false</c>, <c>null</c>, paths (<c>$.x</c>, <c>$$.x</c>) and nested calls, up to 10 deep.</summary>
internal sealed class IntrinsicParser
{
    private const int MaxNesting = 10;
    private readonly string _text;
    private int _pos;

    public IntrinsicParser(string text)
    {
        _text = text;
    }

    public IntrinsicCall ParseWhole()
    {
        var call = ParseCall(1);
        SkipSpaces();
        if (_pos != _text.Length)
        {
            throw Error($"unexpected '{_text[_pos..]}' after the closing ')'");
        }
        return call;
    }

    private IntrinsicCall ParseCall(int depth)
    {
        if (depth > MaxNesting)
        {
            throw Error($"intrinsic functions nest at most {MaxNesting} deep");
        }
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '.'))
        {
            _pos++;
        }
        var name = _text[start.._pos];
        if (!IntrinsicFunctions.IsKnown(name))
        {
            throw Error($"'{name}' is not an intrinsic function (known: {string.Join(", ", IntrinsicFunctions.Names)})");
        }
        SkipSpaces();
        Expect('(');
        var args = new List<IntrinsicArgument>();
        SkipSpaces();
        if (Peek() != ')')
        {
            while (true)
            {
                SkipSpaces();
                args.Add(ParseArgument(depth));
                SkipSpaces();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }
                break;
            }
        }
        Expect(')');
        var call = new IntrinsicCall(name, args);
        IntrinsicFunctions.CheckArity(call);
        return call;
    }

    private IntrinsicArgument ParseArgument(int depth)
    {
        var c = Peek();
        if (c == '\'')
        {
            return ParseString();
        }
        if (c == '$')
        {
            return new IntrinsicArgument.Path(PathReference.Parse(ReadPathText()));
        }
        if (string.CompareOrdinal(_text, _pos, "States.", 0, 7) == 0)
        {
            return ParseCall(depth + 1);
        }
        foreach (var (word, value) in new (string, JsonNode?)[] { ("true", JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null) })
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                _pos += word.Length;
                return new IntrinsicArgument.Literal(value, null);
            }
        }
        var start = _pos;
        while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] is '-' or '+' or '.' or 'e' or 'E'))
        {
            _pos++;
        }
        if (!JsonValues.TryParseNumber(_text[start.._pos], out var number))
        {
            throw Error("an argument is a 'string', a number, true, false, null, a path ($.x or $$.x) or an intrinsic call");
        }
        return new IntrinsicArgument.Literal(number, null);
    }

    private IntrinsicArgument.Literal ParseString()
    {
        _pos++; // opening quote
        var value = new StringBuilder();
        var raw = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("a string literal is not closed with '");
            }
            var c = _text[_pos];
            if (c == '\'')
            {
                _pos++;
                break;
            }
            if (c == '\\')
            {
                if (_pos + 1 >= _text.Length)
                {
                    throw Error("a string literal ends with a lone backslash");
                }
                var next = _text[_pos + 1];
                if (next is not ('\'' or '{' or '}' or '\\'))
                {
                    throw Error($"'\\{next}' is not an escape of an intrinsic string (use \\' \\{{ \\}} or \\\\)");
                }
                value.Append(next);
                if (next == '\'')
                {
                    raw.Append('\'');
                }
                else
                {
                    raw.Append('\\').Append(next);
                }
                _pos += 2;
                continue;
            }
            value.Append(c);
            raw.Append(c);
            _pos++;
        }
        return new IntrinsicArgument.Literal(JsonValue.Create(value.ToString()), raw.ToString());
    }

    /// <summary>Reads a path argument up to the ',' or ')' that ends it, honouring brackets and quotes inside it.</summary>
    private string ReadPathText()
    {
        var start = _pos;
        var depth = 0;
        char quote = '\0';
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    _pos++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"' && depth > 0)
            {
                quote = c;
            }
            else if (c is '[' or '(')
            {
                depth++;
            }
            else if (c is ']' || (c == ')' && depth > 0))
            {
                depth--;
            }
            else if ((c == ',' || c == ')') && depth == 0)
            {
                break;
            }
            _pos++;
        }
        return _text[start.._pos].TrimEnd();
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
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private FormatException Error(string what) =>
        new($"Invalid intrinsic function '{_text}' at position {_pos}: {what}.");
}
