using Berth.Engine.Images;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

public sealed class ConfigChangesTests
{
    private static ImageExecutionConfig Apply(params string[] changes) =>
        ConfigChanges.Apply(new ImageExecutionConfig { Env = ["PATH=/bin", "A=1"], Cmd = ["sh"], WorkingDir = "/srv" }, changes);

    [Test]
    public void CmdAndEntrypointTakeTheJsonAndTheShellForm()
    {
        Assert.That(Apply("CMD [\"echo\",\"hi there\"]").Cmd, Is.EqualTo(new[] { "echo", "hi there" }));
        Assert.That(Apply("CMD echo hi").Cmd, Is.EqualTo(new[] { "/bin/sh", "-c", "echo hi" }));
        Assert.That(Apply("entrypoint [\"/init\"]").Entrypoint, Is.EqualTo(new[] { "/init" }));
        Assert.That(Apply("ENTRYPOINT [not json").Entrypoint, Is.EqualTo(new[] { "/bin/sh", "-c", "[not json" }));
    }

    [Test]
    public void EnvReplacesOrAddsAndKeepsTheOthers()
    {
        Assert.That(Apply("ENV A=2 B=\"x y\"").Env, Is.EqualTo(new[] { "PATH=/bin", "A=2", "B=x y" }));
        Assert.That(Apply("ENV C some value").Env, Is.EqualTo(new[] { "PATH=/bin", "A=1", "C=some value" }));
    }

    [Test]
    public void LabelExposeVolumeUserWorkdirStopsignal()
    {
        var config = Apply("LABEL a=b \"c d\"=e", "EXPOSE 80 53/udp", "VOLUME /data /logs", "VOLUME [\"/x\"]", "USER nobody", "WORKDIR sub", "STOPSIGNAL SIGINT");
        Assert.That(config.Labels, Is.EquivalentTo(new Dictionary<string, string> { ["a"] = "b", ["c d"] = "e" }));
        Assert.That(config.ExposedPorts!.Keys, Is.EquivalentTo(new[] { "80/tcp", "53/udp" }));
        Assert.That(config.Volumes!.Keys, Is.EquivalentTo(new[] { "/data", "/logs", "/x" }));
        Assert.That(config.User, Is.EqualTo("nobody"));
        Assert.That(config.WorkingDir, Is.EqualTo("/srv/sub"));
        Assert.That(config.StopSignal, Is.EqualTo("SIGINT"));
        Assert.That(config.Cmd, Is.EqualTo(new[] { "sh" }), "untouched fields stay");
    }

    [Test]
    public void BadChangesAreArgumentErrors()
    {
        Assert.That(() => Apply("RUN rm -rf /"), Throws.ArgumentException.With.Message.EqualTo("run is not a valid change command"));
        Assert.That(() => Apply("FROM busybox"), Throws.ArgumentException);
        Assert.That(() => Apply("EXPOSE eighty"), Throws.ArgumentException);
        Assert.That(() => Apply("ENV"), Throws.ArgumentException);
        Assert.That(() => Apply("LABEL =x"), Throws.ArgumentException);
        Assert.That(() => Apply("USER"), Throws.ArgumentException);
        Assert.That(() => Apply("ENV A=\"unterminated"), Throws.ArgumentException);
    }
}
