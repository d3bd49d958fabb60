using Berth.Engine.Containers;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

public sealed class SignalsTests
{
    [TestCase("TERM", 15)]
    [TestCase("SIGTERM", 15)]
    [TestCase("sigkill", 9)]
    [TestCase("HUP", 1)]
    [TestCase("9", 9)]
    [TestCase("SIGUSR1", 10)]
    [TestCase("WINCH", 28)]
    [TestCase("RTMIN", 34)]
    [TestCase("RTMIN+3", 37)]
    [TestCase("SIGRTMAX-1", 63)]
    public void Parses_like_docker(string text, int expected) => Assert.That(Signals.Parse(text), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("SIGNOPE")]
    [TestCase("0")]
    [TestCase("65")]
    [TestCase("-1")]
    public void Refuses_invalid_signals(string text) =>
        Assert.That(() => Signals.Parse(text), Throws.TypeOf<InvalidParameterException>().With.Message.StartsWith("Invalid signal"));
}
