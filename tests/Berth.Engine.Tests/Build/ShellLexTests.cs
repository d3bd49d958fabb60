using Berth.Engine.Build;
using NUnit.Framework;

namespace Berth.Engine.Tests.Build;

/// <summary>Docker's word processing (buildkit's shell lexer cases): quotes, escapes and the substitution forms.</summary>
public sealed class ShellLexTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PWD"] = "/home", ["EMPTY"] = "", ["NAME"] = "world", ["FILE"] = "archive.tar.gz" };

    private static string Word(string text, char escape = '\\') => new ShellLex(escape).ProcessWord(text, n => Env.GetValueOrDefault(n));

    [TestCase("hello", "hello")]
    [TestCase("$PWD", "/home")]
    [TestCase("${PWD}/sub", "/home/sub")]
    [TestCase("$PWD$NAME", "/homeworld")]
    [TestCase("$UNSET", "")]
    [TestCase("${UNSET:-default}", "default")]
    [TestCase("${EMPTY:-default}", "default")]
    [TestCase("${EMPTY-default}", "")]
    [TestCase("${UNSET-default}", "default")]
    [TestCase("${NAME:-default}", "world")]
    [TestCase("${NAME:+alt}", "alt")]
    [TestCase("${EMPTY:+alt}", "")]
    [TestCase("${EMPTY+alt}", "alt")]
    [TestCase("${UNSET:+alt}", "")]
    [TestCase("${UNSET:-$NAME}", "world")]
    [TestCase("${UNSET:-${NAME}s}", "worlds")]
    [TestCase("'$PWD'", "$PWD")]
    [TestCase("\"$PWD\"", "/home")]
    [TestCase("\"a b\"", "a b")]
    [TestCase("\\$PWD", "$PWD")]
    [TestCase("\"\\$PWD\"", "$PWD")]
    [TestCase("\"\\n\"", "\\n")]
    [TestCase("a\\ b", "a b")]
    [TestCase("$", "$")]
    [TestCase("a$", "a$")]
    [TestCase("$1", "")]
    [TestCase("${FILE%.gz}", "archive.tar")]
    [TestCase("${FILE%%.*}", "archive")]
    [TestCase("${FILE#*.}", "tar.gz")]
    [TestCase("${FILE##*.}", "gz")]
    public void ProcessWord(string text, string expected) => Assert.That(Word(text), Is.EqualTo(expected));

    [Test]
    public void BacktickEscape() => Assert.That(Word("`$PWD c:\\dir", '`'), Is.EqualTo("$PWD c:\\dir"));

    [Test]
    public void ProcessWordsSplitsOnUnquotedBlanks()
    {
        var words = new ShellLex().ProcessWords("a \"b c\" 'd e' ${NAME}  \"\"", n => Env.GetValueOrDefault(n));
        Assert.That(words, Is.EqualTo(new[] { "a", "b c", "d e", "world", "" }));
    }

    [Test]
    public void ErrorsOfUnsetRequiredAndUnterminatedForms()
    {
        Assert.That(() => Word("${UNSET:?must be set}"), Throws.TypeOf<DockerfileException>().With.Message.Contains("UNSET: must be set"));
        Assert.That(() => Word("${NAME"), Throws.TypeOf<DockerfileException>());
        Assert.That(() => Word("'open"), Throws.TypeOf<DockerfileException>());
        Assert.That(() => Word("\"open"), Throws.TypeOf<DockerfileException>());
    }
}
