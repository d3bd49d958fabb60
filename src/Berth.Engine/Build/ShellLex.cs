using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Engine.Build;

/// <summary>
/// Docker's word processing for the instructions it expands (buildkit's frontend/dockerfile/shell.Lex): <c>$VAR</c>,
/// <c>${VAR}</c>, <c>${VAR:-word}</c>, <c>${VAR-word}</c>, <c>${VAR:+word}</c>, <c>${VAR+word}</c>, <c>${VAR:?msg}</c>,
/// <c>${VAR#pat}</c>, <c>${VAR##pat}</c>, <c>${VAR%pat}</c>, <c>${VAR%%pat}</c>; single quotes are literal, double
/// quotes expand, the escape character takes the next character literally (inside double quotes only before
/// <c>"</c>, <c>$</c> and itself); quotes are removed. Unset variables expand to nothing.
/// </summary>
public sealed class ShellLex(char escape = '\\')
{
    /// <summary>One word: quotes removed, variables expanded, blanks kept.</summary>
    public string ProcessWord(string word, Func<string, string?> lookup) => Process(word, lookup, split: false)[0];

    /// <summary>Words split on unquoted blanks, each processed; <c>""</c> is an empty word.</summary>
    public List<string> ProcessWords(string text, Func<string, string?> lookup) => Process(text, lookup, split: true);

    private List<string> Process(string text, Func<string, string?> lookup, bool split)
    {
        var state = new State(text, lookup, escape);
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        while (state.Position < text.Length)
        {
            char ch = text[state.Position];
            if (split && ch is ' ' or '\t' or '\n')
            {
                state.Position++;
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            word.Append(state.Next(stopAt: null));
        }
        if (inWord || !split)
            words.Add(word.ToString());
        return words;
    }

    private sealed class State(string text, Func<string, string?> lookup, char escape)
    {
        public int Position;

        /// <summary>The expansion of the token at the position (a quoted part, a variable, an escaped or plain character).</summary>
        public string Next(char? stopAt)
        {
            char ch = text[Position];
            if (ch == '\'')
                return SingleQuoted();
            if (ch == '"')
                return DoubleQuoted();
            if (ch == '$')
                return Dollar();
            Position++;
            if (ch == escape)
            {
                if (Position >= text.Length)
                    return "";
                return text[Position++].ToString();
            }
            return ch.ToString();
        }

        private string SingleQuoted()
        {
            int end = text.IndexOf('\'', Position + 1);
            if (end < 0)
                throw new DockerfileException(0, "unexpected end of statement while looking for matching single-quote");
            string value = text[(Position + 1)..end];
            Position = end + 1;
            return value;
        }

        private string DoubleQuoted()
        {
            var result = new StringBuilder();
            Position++;
            while (true)
            {
                if (Position >= text.Length)
                    throw new DockerfileException(0, "unexpected end of statement while looking for matching double-quote");
                char ch = text[Position];
                if (ch == '"')
                {
                    Position++;
                    return result.ToString();
                }
                if (ch == '$')
                {
                    result.Append(Dollar());
                    continue;
                }
                Position++;
                if (ch == escape && Position < text.Length && (text[Position] is '"' or '$' || text[Position] == escape))
                    ch = text[Position++];
                result.Append(ch);
            }
        }

        private string Dollar()
        {
            Position++;
            if (Position >= text.Length)
                return "$";
            if (text[Position] != '{')
            {
                string name = Name();
                return name.Length == 0 ? "$" : lookup(name) ?? "";
            }
            Position++;
            string variable = Name();
            if (variable.Length == 0)
                throw new DockerfileException(0, $"missing variable name in `{text}`");
            if (Position >= text.Length)
                throw new DockerfileException(0, $"missing '}}' in `{text}`");
            char op = text[Position++];
            if (op == '}')
                return lookup(variable) ?? "";
            bool colon = op == ':';
            if (colon)
            {
                if (Position >= text.Length)
                    throw new DockerfileException(0, $"missing '}}' in `{text}`");
                op = text[Position++];
            }
            bool longest = false;
            if (!colon && op is '#' or '%' && Position < text.Length && text[Position] == op)
            {
                longest = true;
                Position++;
            }
            string word = Until('}');
            string? value = lookup(variable);
            bool unset = colon ? string.IsNullOrEmpty(value) : value is null;
            return op switch
            {
                '-' => unset ? word : value!,
                '+' => unset ? "" : word,
                '?' => unset ? throw new DockerfileException(0, $"{variable}: {(word.Length > 0 ? word : "is not allowed to be unset")}") : value!,
                '#' when !colon => RemovePrefix(value ?? "", word, longest),
                '%' when !colon => RemoveSuffix(value ?? "", word, longest),
                _ => throw new DockerfileException(0, $"unsupported modifier ({(colon ? ":" : "")}{op}) in substitution"),
            };
        }

        /// <summary>The word up to the closing brace, itself processed (nested variables, quotes).</summary>
        private string Until(char close)
        {
            var word = new StringBuilder();
            while (true)
            {
                if (Position >= text.Length)
                    throw new DockerfileException(0, $"missing '{close}' in `{text}`");
                if (text[Position] == close)
                {
                    Position++;
                    return word.ToString();
                }
                word.Append(Next(close));
            }
        }

        private string Name()
        {
            int start = Position;
            while (Position < text.Length && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] == '_'))
                Position++;
            return text[start..Position];
        }
    }

    private static string RemovePrefix(string value, string pattern, bool longest)
    {
        var regex = new Regex("^(" + Glob(pattern, longest) + ")", RegexOptions.Singleline);
        return regex.Replace(value, "", 1);
    }

    private static string RemoveSuffix(string value, string pattern, bool longest)
    {
        // The shortest suffix is the match starting last: try from the end (or from the start for the longest).
        var regex = new Regex("^(?:" + Glob(pattern, true) + ")$", RegexOptions.Singleline);
        for (int i = 0; i <= value.Length; i++)
        {
            int start = longest ? i : value.Length - i;
            if (regex.IsMatch(value[start..]))
                return value[..start];
        }
        return value;
    }

    private static string Glob(string pattern, bool greedy)
    {
        var regex = new StringBuilder();
        foreach (char c in pattern)
            regex.Append(c switch { '*' => greedy ? ".*" : ".*?", '?' => ".", _ => Regex.Escape(c.ToString()) });
        return regex.ToString();
    }
}
