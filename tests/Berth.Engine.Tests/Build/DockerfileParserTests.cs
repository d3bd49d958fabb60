using Berth.Engine.Build;
using NUnit.Framework;

namespace Berth.Engine.Tests.Build;

/// <summary>The parser against real Dockerfile forms (buildkit's parser tests and the Dockerfile reference's examples).</summary>
public sealed class DockerfileParserTests
{
    private static DockerfileInstruction[] Parse(string text) => [.. DockerfileParser.Parse(text).Instructions];

    [Test]
    public void TheSeedsDockerfile()
    {
        var instructions = Parse("FROM python:3\n\nADD my_script.py /\n\nRUN pip install pystrich\n\nCMD [ \"python\", \"./my_script.py\" ]\n");
        Assert.That(instructions.Select(i => i.Keyword), Is.EqualTo(new[] { "FROM", "ADD", "RUN", "CMD" }));
        Assert.That(instructions[0].Arguments, Is.EqualTo("python:3"));
        Assert.That(instructions[1].Line, Is.EqualTo(3));
        Assert.That(instructions[2].Json, Is.Null);
        Assert.That(instructions[2].Arguments, Is.EqualTo("pip install pystrich"));
        Assert.That(instructions[3].Json, Is.EqualTo(new[] { "python", "./my_script.py" }));
        Assert.That(instructions[3].Original, Is.EqualTo("CMD [ \"python\", \"./my_script.py\" ]"));
    }

    [Test]
    public void KeywordsAreCaseInsensitiveAndOriginalIsKept()
    {
        var run = Parse("from busybox\nrun echo hi")[1];
        Assert.That(run.Keyword, Is.EqualTo("RUN"));
        Assert.That(run.Original, Is.EqualTo("run echo hi"));
    }

    [Test]
    public void ContinuationsJoinLinesAsWrittenAndSkipCommentsAndBlankLines()
    {
        var run = Parse("FROM busybox\nRUN echo a \\\n    b \\\n# a comment inside\n\n    c\nCMD x")[1];
        Assert.That(run.Arguments, Is.EqualTo("echo a     b     c"));
        Assert.That(run.Line, Is.EqualTo(2));
    }

    [Test]
    public void TrailingBlanksAfterTheEscapeStillContinue()
    {
        Assert.That(Parse("FROM busybox\nRUN echo a \\  \n b")[1].Arguments, Is.EqualTo("echo a  b"));
    }

    [Test]
    public void BacktickEscapeDirective()
    {
        var dockerfile = DockerfileParser.Parse("# escape=`\nFROM windows\nCOPY testfile.txt c:\\ `\n  d:\\\nRUN dir c:\\");
        Assert.That(dockerfile.Escape, Is.EqualTo('`'));
        Assert.That(dockerfile.Instructions[1].Arguments, Is.EqualTo("testfile.txt c:\\   d:\\"));
        Assert.That(dockerfile.Instructions[2].Arguments, Is.EqualTo("dir c:\\"));
    }

    [Test]
    public void DirectivesOnlyAtTheTop()
    {
        var late = DockerfileParser.Parse("FROM busybox\n# escape=`\nRUN a \\\n b");
        Assert.That(late.Escape, Is.EqualTo('\\'));
        Assert.That(late.Instructions[1].Arguments, Is.EqualTo("a  b"));
        var afterComment = DockerfileParser.Parse("# a comment\n# escape=`\nFROM busybox");
        Assert.That(afterComment.Escape, Is.EqualTo('\\'));
        var syntax = DockerfileParser.Parse("# syntax=docker/dockerfile:1\n# escape=\\\nFROM busybox");
        Assert.That(syntax.Syntax, Is.EqualTo("docker/dockerfile:1"));
    }

    [Test]
    public void ABadOrRepeatedDirectiveIsAnError()
    {
        Assert.That(() => DockerfileParser.Parse("# escape=x\nFROM busybox"), Throws.TypeOf<DockerfileException>().With.Message.Contains("invalid escape token"));
        Assert.That(() => DockerfileParser.Parse("# escape=`\n# escape=`\nFROM busybox"),
            Throws.TypeOf<DockerfileException>().With.Message.EqualTo("dockerfile parse error on line 2: only one escape parser directive can be used"));
    }

    [Test]
    public void UnknownInstructionNamesTheLine()
    {
        var e = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("FROM busybox\n\nFOO bar"));
        Assert.That(e!.Message, Is.EqualTo("dockerfile parse error on line 3: unknown instruction: FOO"));
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [Test]
    public void JsonAndShellForms()
    {
        var instructions = Parse("FROM busybox\nENTRYPOINT [\"/bin/echo\", \"a b\"]\nCMD [not json\nRUN [\"a\", 1]\nVOLUME [\"/data\"]\nSHELL [\"/bin/bash\", \"-c\"]");
        Assert.That(instructions[1].Json, Is.EqualTo(new[] { "/bin/echo", "a b" }));
        Assert.That(instructions[2].Json, Is.Null);
        Assert.That(instructions[3].Json, Is.Null, "an array of non-strings is the shell form");
        Assert.That(instructions[4].Json, Is.EqualTo(new[] { "/data" }));
        Assert.That(instructions[5].Json, Is.EqualTo(new[] { "/bin/bash", "-c" }));
        Assert.That(() => Parse("FROM busybox\nSHELL /bin/bash -c"), Throws.TypeOf<DockerfileException>().With.Message.Contains("JSON form"));
    }

    [Test]
    public void FlagsBeforeTheArguments()
    {
        var copy = Parse("FROM busybox\nCOPY --from=build --chown=1:2 /src /dst")[1];
        Assert.That(copy.Flag("from"), Is.EqualTo("build"));
        Assert.That(copy.Flag("chown"), Is.EqualTo("1:2"));
        Assert.That(copy.Arguments, Is.EqualTo("/src /dst"));
        var healthcheck = Parse("FROM busybox\nHEALTHCHECK --interval=5m --timeout=3s CMD curl -f http://localhost/ || exit 1")[1];
        Assert.That(healthcheck.Flag("interval"), Is.EqualTo("5m"));
        Assert.That(healthcheck.Arguments, Is.EqualTo("CMD curl -f http://localhost/ || exit 1"));
        var from = Parse("FROM --platform=linux/amd64 busybox AS base")[0];
        Assert.That(from.Flag("platform"), Is.EqualTo("linux/amd64"));
        Assert.That(from.Arguments, Is.EqualTo("busybox AS base"));
    }

    [Test]
    public void OnbuildHoldsItsTrigger()
    {
        var onbuild = Parse("FROM busybox\nONBUILD RUN echo triggered")[1];
        Assert.That(onbuild.Next!.Keyword, Is.EqualTo("RUN"));
        Assert.That(onbuild.Next.Original, Is.EqualTo("RUN echo triggered"));
        Assert.That(() => Parse("FROM busybox\nONBUILD FROM x"), Throws.TypeOf<DockerfileException>().With.Message.Contains("isn't allowed as an ONBUILD trigger"));
    }

    [Test]
    public void Heredocs()
    {
        var instructions = Parse("FROM busybox\nRUN <<EOF\necho one\necho two\nEOF\nCOPY <<-\"END\" /app/config\n\tkey=$VALUE\n\tEND\nCMD done");
        Assert.That(instructions.Select(i => i.Keyword), Is.EqualTo(new[] { "FROM", "RUN", "COPY", "CMD" }));
        Assert.That(instructions[1].Heredocs.Single(), Is.EqualTo(new Heredoc("EOF", "echo one\necho two\n", true, false)));
        Assert.That(instructions[2].Heredocs.Single(), Is.EqualTo(new Heredoc("END", "key=$VALUE\n", false, true)));
        Assert.That(() => Parse("FROM busybox\nRUN <<EOF\necho"), Throws.TypeOf<DockerfileException>().With.Message.Contains("unterminated heredoc"));
    }

    [Test]
    public void ArgBeforeFromAndCommentsAnywhere()
    {
        var instructions = Parse("  # leading comment\nARG VERSION=latest\nFROM busybox:$VERSION\n   # indented comment\nARG VERSION\nRUN echo $VERSION");
        Assert.That(instructions.Select(i => i.Keyword), Is.EqualTo(new[] { "ARG", "FROM", "ARG", "RUN" }));
        Assert.That(instructions[1].Arguments, Is.EqualTo("busybox:$VERSION"), "nothing is substituted by the parser");
    }

    [Test]
    public void CrLfLineEndings()
    {
        var instructions = Parse("FROM busybox\r\nRUN echo a \\\r\n b\r\n");
        Assert.That(instructions[1].Arguments, Is.EqualTo("echo a  b"));
    }
}
