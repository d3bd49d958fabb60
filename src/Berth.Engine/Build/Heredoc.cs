namespace Berth.Engine.Build;

/// <summary>A heredoc of RUN, COPY or ADD (<c>&lt;&lt;EOF</c> ... <c>EOF</c>): its name and content.</summary>
/// <param name="Expand">False when the name was quoted (<c>&lt;&lt;"EOF"</c>): the content is taken literally.</param>
public sealed record Heredoc(string Name, string Content, bool Expand, bool StripTabs);
