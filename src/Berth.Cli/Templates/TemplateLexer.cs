using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

internal enum TokenKind
{
    Text,
    Left,
    Right,
    Field,
    Dot,
    Variable,
    Identifier,
    Keyword,
    Literal,
    LParen,
    RParen,
    Pipe,
    Declare,
    Assign,
    Comma,
    Eof,
}

/// <param name="Value">The unquoted string, the number or the boolean of a literal; the name of a field chain.</param>
/// <param name="Adjacent">No space before it: a field right after a ')' or a variable chains onto it.</param>
internal readonly record struct TemplateToken(TokenKind Kind, int Pos, string Text, object? Value = null, bool Adjacent = false);

/// <summary>
/// Go's text/template lexer for the default delimiters: text, <c>{{</c> actions with the <c>{{- </c> and
/// <c> -}}</c> trim markers (a dash then a space trims the white space on that side), <c>{{/* comments */}}</c>,
/// fields, variables, identifiers, Go string, raw string, character and number literals.
/// </summary>
internal sealed class TemplateLexer
{
    private static readonly HashSet<string> Keywords = ["if", "else", "end", "range", "with", "break", "continue", "define", "template", "block"];
    private readonly string _name;
    private readonly string _text;
    private readonly List<TemplateToken> _tokens = [];
    private int _pos;

    private TemplateLexer(string name, string text)
    {
        _name = name;
        _text = text;
    }

    public static List<TemplateToken> Lex(string name, string text)
    {
        var lexer = new TemplateLexer(name, text);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        bool trimNextText = false;
        while (_pos < _text.Length)
        {
            int left = _text.IndexOf("{{", _pos, StringComparison.Ordinal);
            int end = left < 0 ? _text.Length : left;
            bool trimLeft = left >= 0 && IsTrimMarker(left + 2, before: false);
            string text = _text[_pos..end];
            if (trimNextText)
                text = text.TrimStart(' ', '\t', '\r', '\n');
            if (trimLeft)
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            if (text.Length > 0)
                _tokens.Add(new TemplateToken(TokenKind.Text, _pos, text, text));
            if (left < 0)
                break;
            _pos = left + 2 + (trimLeft ? 2 : 0);
            trimNextText = LexAction(left);
        }
        _tokens.Add(new TemplateToken(TokenKind.Eof, _text.Length, ""));
    }

    /// <summary>"{{- " or " -}}": a dash with a space on its inner side.</summary>
    private bool IsTrimMarker(int at, bool before) => before
        ? at >= 1 && at + 3 <= _text.Length && IsSpace(_text[at - 1]) && string.CompareOrdinal(_text, at, "-}}", 0, 3) == 0
        : at + 1 < _text.Length && _text[at] == '-' && IsSpace(_text[at + 1]);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>Lexes one action from _pos; answers whether it ended with a right trim marker.</summary>
    private bool LexAction(int left)
    {
        if (Peek("/*"))
        {
            int close = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
            if (close < 0)
                throw ParseError(left, "unclosed comment");
            _pos = close + 2;
            bool trim = Peek(" -}}");
            if (trim)
                _pos += 1;
            if (!trim && !Peek("}}"))
                throw ParseError(left, "comment ends before closing delimiter");
            _pos += trim ? 3 : 2;
            return trim;
        }
        _tokens.Add(new TemplateToken(TokenKind.Left, left, "{{"));
        int parens = 0;
        while (true)
        {
            bool spaced = false;
            while (_pos < _text.Length && IsSpace(_text[_pos]))
            {
                if (IsTrimMarker(_pos + 1, before: true))
                {
                    _tokens.Add(new TemplateToken(TokenKind.Right, _pos + 1, "}}"));
                    _pos += 4;
                    return true;
                }
                _pos++;
                spaced = true;
            }
            if (_pos >= _text.Length)
                throw ParseError(left, "unclosed action");
            int start = _pos;
            char c = _text[_pos];
            if (Peek("}}"))
            {
                if (parens > 0)
                    throw ParseError(start, "unclosed left paren");
                _tokens.Add(new TemplateToken(TokenKind.Right, start, "}}"));
                _pos += 2;
                return false;
            }
            switch (c)
            {
                case '(':
                    parens++;
                    Add(TokenKind.LParen, start, 1, spaced);
                    break;
                case ')':
                    if (--parens < 0)
                        throw ParseError(start, "unexpected right paren");
                    Add(TokenKind.RParen, start, 1, spaced);
                    break;
                case '|':
                    Add(TokenKind.Pipe, start, 1, spaced);
                    break;
                case ',':
                    Add(TokenKind.Comma, start, 1, spaced);
                    break;
                case ':' when Peek(":="):
                    Add(TokenKind.Declare, start, 2, spaced);
                    break;
                case '=':
                    Add(TokenKind.Assign, start, 1, spaced);
                    break;
                case '"' or '`' or '\'':
                    LexQuote(start, spaced);
                    break;
                case '.' when _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]):
                    LexNumber(start, spaced);
                    break;
                case '.':
                    _pos++;
                    if (_pos < _text.Length && IsIdentStart(_text[_pos]))
                    {
                        string chain = ReadChain(out int chainPos);
                        _tokens.Add(new TemplateToken(TokenKind.Field, start, "." + chain, chainPos, !spaced));
                    }
                    else
                        _tokens.Add(new TemplateToken(TokenKind.Dot, start, ".", null, !spaced));
                    break;
                case '$':
                    _pos++;
                    string name = "$" + ReadIdent();
                    object? fieldPos = null;
                    if (Peek(".") && _pos + 1 < _text.Length && IsIdentStart(_text[_pos + 1]))
                    {
                        fieldPos = _pos;
                        _pos++;
                        name += "." + ReadChain(out _);
                    }
                    _tokens.Add(new TemplateToken(TokenKind.Variable, start, name, fieldPos, !spaced));
                    break;
                case '+' or '-' when _pos + 1 < _text.Length && (char.IsAsciiDigit(_text[_pos + 1]) || _text[_pos + 1] == '.'):
                    LexNumber(start, spaced);
                    break;
                default:
                    if (char.IsAsciiDigit(c))
                        LexNumber(start, spaced);
                    else if (IsIdentStart(c))
                    {
                        string word = ReadIdent();
                        var token = word switch
                        {
                            "true" or "false" => new TemplateToken(TokenKind.Literal, start, word, word == "true", !spaced),
                            "nil" => new TemplateToken(TokenKind.Literal, start, word, NilLiteral.Instance, !spaced),
                            _ when Keywords.Contains(word) => new TemplateToken(TokenKind.Keyword, start, word, null, !spaced),
                            _ => new TemplateToken(TokenKind.Identifier, start, word, null, !spaced),
                        };
                        _tokens.Add(token);
                    }
                    else
                        throw ParseError(start, $"unexpected {Quote(c)} in command");
                    break;
            }
        }
    }

    private void Add(TokenKind kind, int start, int length, bool spaced)
    {
        _tokens.Add(new TemplateToken(kind, start, _text.Substring(start, length), null, !spaced));
        _pos += length;
    }

    private bool Peek(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0 && _pos + s.Length <= _text.Length;

    private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';

    private string ReadIdent()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            _pos++;
        return _text[start.._pos];
    }

    /// <summary>
    /// A.B.C after a dot; <paramref name="chainPos"/> is where ".B" starts (Go lexes each field alone and places a
    /// chain at its second field, so "{{.A.B}}" fails at column 4), or the first field's dot without a chain.
    /// </summary>
    private string ReadChain(out int chainPos)
    {
        chainPos = _pos - 1;
        var chain = new StringBuilder(ReadIdent());
        bool first = true;
        while (Peek(".") && _pos + 1 < _text.Length && IsIdentStart(_text[_pos + 1]))
        {
            if (first)
                chainPos = _pos;
            first = false;
            _pos++;
            chain.Append('.').Append(ReadIdent());
        }
        return chain.ToString();
    }

    private void LexNumber(int start, bool spaced)
    {
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '.' or '_' or '+' or '-'))
        {
            if (_text[_pos] is '+' or '-' && _pos > start && _text[_pos - 1] is not ('e' or 'E' or 'p' or 'P'))
                break;
            _pos++;
        }
        string text = _text[start.._pos];
        string digits = text.Replace("_", "");
        bool negative = digits.StartsWith('-');
        string unsigned = digits.TrimStart('+', '-');
        object? value = null;
        if (unsigned.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(unsigned[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex))
            value = negative ? -hex : hex;
        else if (unsigned.Length > 1 && unsigned[0] == '0' && unsigned.All(char.IsAsciiDigit))
            value = negative ? -Convert.ToInt64(unsigned, 8) : Convert.ToInt64(unsigned, 8);
        else if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            value = integer;
        else if (double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
            value = real;
        if (value is null)
            throw ParseError(start, $"bad number syntax: \"{text}\"");
        _tokens.Add(new TemplateToken(TokenKind.Literal, start, text, value, !spaced));
    }

    private void LexQuote(int start, bool spaced)
    {
        char quote = _text[_pos++];
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length || (quote != '`' && _text[_pos] == '\n'))
                throw ParseError(start, quote == '\'' ? "unterminated character constant" : quote == '`' ? "unterminated raw quoted string" : "unterminated quoted string");
            char c = _text[_pos++];
            if (c == quote)
                break;
            if (c != '\\' || quote == '`')
            {
                value.Append(c);
                continue;
            }
            char escape = _pos < _text.Length ? _text[_pos++] : '\0';
            switch (escape)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case '\\' or '"' or '\'': value.Append(escape); break;
                case 'x': value.Append((char)ReadHex(2, start)); break;
                case 'u': value.Append(char.ConvertFromUtf32(ReadHex(4, start))); break;
                case 'U': value.Append(char.ConvertFromUtf32(ReadHex(8, start))); break;
                default: throw ParseError(start, $"bad syntax in quoted string: unknown escape sequence \\{escape}");
            }
        }
        string text = _text[start.._pos];
        if (quote == '\'')
        {
            string s = value.ToString();
            if (s.Length == 0 || char.ConvertToUtf32(s, 0) is var rune && char.ConvertFromUtf32(rune).Length != s.Length)
                throw ParseError(start, $"malformed character constant: {text}");
            _tokens.Add(new TemplateToken(TokenKind.Literal, start, text, (long)char.ConvertToUtf32(s, 0), !spaced));
            return;
        }
        _tokens.Add(new TemplateToken(TokenKind.Literal, start, text, value.ToString(), !spaced));
    }

    private int ReadHex(int digits, int start)
    {
        if (_pos + digits > _text.Length || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value))
            throw ParseError(start, "bad syntax in quoted string");
        _pos += digits;
        return value;
    }

    private static string Quote(char c) => "\"" + c + "\"";

    private TemplateException ParseError(int pos, string message) => TemplateException.Parse(_name, _text, pos, message);
}
