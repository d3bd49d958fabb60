using System.Text;

namespace Berth.Compose;

/// <summary>A string <c>command</c> or <c>entrypoint</c> split as compose does (shlex: quotes and backslashes, no expansion).</summary>
public static class ShellWords
{
    public static List<string> Split(string text, ComposeNode at)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0)
                    throw new ComposeFileException(at, $"unterminated single quote in \"{text}\"");
                word.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        i++;
                    word.Append(text[i]);
                }
                if (i >= text.Length)
                    throw new ComposeFileException(at, $"unterminated double quote in \"{text}\"");
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
            }
            else
            {
                word.Append(c);
            }
        }
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}
