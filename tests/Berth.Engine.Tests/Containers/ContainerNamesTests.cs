using Berth.Engine.Containers;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

public sealed class ContainerNamesTests
{
    [TestCase("web", "web")]
    [TestCase("/web", "web")]
    [TestCase("my_app.v1-2", "my_app.v1-2")]
    public void Accepts_docker_names(string name, string expected) => Assert.That(ContainerNames.Normalize(name), Is.EqualTo(expected));

    [TestCase("a")]
    [TestCase("-web")]
    [TestCase("we b")]
    [TestCase("web/x")]
    [TestCase("")]
    public void Refuses_invalid_names(string name) =>
        Assert.That(() => ContainerNames.Normalize(name), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("Invalid container name"));

    [Test]
    public void Generated_names_avoid_taken_ones()
    {
        var taken = new HashSet<string>();
        for (int i = 0; i < 200; i++)
            Assert.That(taken.Add(ContainerNames.Generate(taken.Contains)), Is.True);
        Assert.That(taken, Has.All.Match("^[a-z]+_[a-z]+[0-9]*$"));
    }
}
