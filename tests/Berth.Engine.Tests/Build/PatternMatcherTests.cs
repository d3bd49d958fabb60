using Berth.Common;
using NUnit.Framework;

namespace Berth.Engine.Tests.Build;

/// <summary>.dockerignore matching against the Dockerfile reference's examples and moby/patternmatcher's rules.</summary>
public sealed class PatternMatcherTests
{
    private static bool Ignored(string dockerignore, string path) => new PatternMatcher(PatternMatcher.ReadIgnoreFile(dockerignore)).Matches(path);

    // The reference's example: "# comment", "*/temp*", "*/*/temp*", "temp?".
    private const string Reference = "# comment\n*/temp*\n*/*/temp*\ntemp?\n";

    [TestCase("somedir/temporary.txt", true)]
    [TestCase("somedir/temp", true)]
    [TestCase("somedir/subdir/temporary.txt", true)]
    [TestCase("tempa", true)]
    [TestCase("tempb", true)]
    [TestCase("temp", false)]
    [TestCase("temporary.txt", false)]
    [TestCase("a/b/c/temp", false)]
    [TestCase("comment", false)]
    public void TheReferencesExample(string path, bool ignored) => Assert.That(Ignored(Reference, path), Is.EqualTo(ignored));

    [TestCase("x.go", true)]
    [TestCase("a/x.go", true)]
    [TestCase("a/b/c/x.go", true)]
    [TestCase("x.goo", false)]
    public void DoubleStarMatchesAnyNumberOfDirectories(string path, bool ignored) => Assert.That(Ignored("**/*.go", path), Is.EqualTo(ignored));

    [Test]
    public void ExceptionsReinclude()
    {
        const string file = "*.md\n!README.md\n";
        Assert.That(Ignored(file, "CHANGES.md"), Is.True);
        Assert.That(Ignored(file, "README.md"), Is.False);
        // The last matching line wins: README-secret.md is excluded again.
        const string again = "*.md\n!README*.md\nREADME-secret.md\n";
        Assert.That(Ignored(again, "README-secret.md"), Is.True);
        Assert.That(Ignored(again, "README-public.md"), Is.False);
        // ... and an exception after it re-includes everything README*.md.
        const string reinclude = "*.md\nREADME-secret.md\n!README*.md\n";
        Assert.That(Ignored(reinclude, "README-secret.md"), Is.False);
    }

    [Test]
    public void ADirectoryExcludesWhatItHolds()
    {
        Assert.That(Ignored("node_modules\n", "node_modules/pkg/index.js"), Is.True);
        Assert.That(Ignored("build/\n", "build/out/x"), Is.True);
        Assert.That(Ignored("node_modules\n", "src/node_modules"), Is.False);
    }

    [Test]
    public void LeadingSlashAndDotSlashAreCleaned()
    {
        Assert.That(PatternMatcher.ReadIgnoreFile("/secret\n./tmp/*.log\n!/keep\n  spaced  \n"), Is.EqualTo(new[] { "secret", "tmp/*.log", "!keep", "spaced" }));
        Assert.That(Ignored("/secret\n", "secret"), Is.True);
        Assert.That(Ignored("./tmp/*.log\n", "tmp/a.log"), Is.True);
        Assert.That(Ignored("a/../b\n", "b"), Is.True);
    }

    [Test]
    public void QuestionMarkAndStarStayInOnePathElement()
    {
        Assert.That(Ignored("a*\n", "ab/c"), Is.True, "the parent ab matches");
        Assert.That(Ignored("*c\n", "ab/c"), Is.False);
        Assert.That(Ignored("a?c\n", "a/c"), Is.False);
        Assert.That(Ignored("[a-c]x\n", "bx"), Is.True);
    }

    [Test]
    public void ALoneExclamationMarkIsAnError() =>
        Assert.That(() => new PatternMatcher(["!"]), Throws.ArgumentException.With.Message.Contains("illegal exclusion pattern"));
}
