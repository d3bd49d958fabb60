namespace Berth.Compose;

/// <summary>A node of a compose file after YAML parsing: where it came from (file and line, for error messages) and its shape.</summary>
public abstract class ComposeNode
{
    protected ComposeNode(string file, int line)
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    public int Line { get; }

    public string Where => $"{File}:{Line}";

    public abstract ComposeNode Clone();
}
