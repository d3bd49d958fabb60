using System.Text;
using Berth.Cli.Commands;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>What berth diff accepts from the daemon.</summary>
public sealed class DiffAnswerTests
{
    [Test]
    public void NullIsNoChangesAsFromDockerd() =>
        Assert.That(DiffCommand.Changes(Encoding.UTF8.GetBytes("null")), Is.Empty);

    [Test]
    public void ChangesAreRead() =>
        Assert.That(DiffCommand.Changes(Encoding.UTF8.GetBytes("[{\"Path\":\"/etc\",\"Kind\":0}]")).Select(c => DiffCommand.KindLetter(c.Kind) + " " + c.Path),
            Is.EqualTo(new[] { "C /etc" }));
}
