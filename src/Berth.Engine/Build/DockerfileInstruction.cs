namespace Berth.Engine.Build;

/// <summary>
/// One instruction of a Dockerfile as the parser gives it (buildkit's parser.Node): the keyword in upper case, its
/// <c>--flags</c>, its arguments (the JSON form's strings, or the shell form's text) and its heredocs. Nothing is
/// substituted yet: variables are expanded at build time, and only in the instructions where Docker expands them.
/// </summary>
public sealed class DockerfileInstruction
{
    public required string Keyword { get; init; }

    /// <summary>The instruction as written, continuations joined (the history's and the step line's text).</summary>
    public required string Original { get; init; }

    /// <summary>1-based line where the instruction starts, for error messages.</summary>
    public required int Line { get; init; }

    /// <summary><c>--name=value</c> flags before the arguments, in order; a bare <c>--name</c> has a null value.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Flags { get; init; } = [];

    /// <summary>The arguments after the flags, trimmed (the shell form, or the JSON text when <see cref="Json"/> is set).</summary>
    public required string Arguments { get; init; }

    /// <summary>The JSON (exec) form's strings; null for the shell form.</summary>
    public IReadOnlyList<string>? Json { get; init; }

    public IReadOnlyList<Heredoc> Heredocs { get; init; } = [];

    /// <summary>ONBUILD's instruction.</summary>
    public DockerfileInstruction? Next { get; init; }

    /// <summary>The value of flag <paramref name="name"/>, null when absent (the last one wins).</summary>
    public string? Flag(string name) => Flags.LastOrDefault(f => f.Key == name) is { Key: not null } f ? f.Value ?? "true" : null;
}
