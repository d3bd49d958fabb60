using Berth.Engine.Containers;
using Berth.Engine.Rootfs;
using Berth.InitSpec;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

public sealed class ContainerSpecBuilderTests
{
    private static readonly ImageDefaults Image = new(
        Env: ["PATH=/image/bin", "LANG=C"],
        Entrypoint: ["/entry.sh"],
        Cmd: ["serve", "--port", "80"],
        WorkingDir: "/app",
        User: "app",
        StopSignal: "SIGQUIT");

    private static ContainerConfig Merge(ContainerConfig config) => ContainerSpecBuilder.Merge(config, Image);

    [Test]
    public void Without_overrides_the_image_entrypoint_and_cmd_run()
    {
        var merged = Merge(new ContainerConfig { Image = "x" });
        Assert.That(ContainerSpecBuilder.ResolveCommand(merged).Argv, Is.EqualTo(new[] { "/entry.sh", "serve", "--port", "80" }));
        Assert.That(merged.WorkingDir, Is.EqualTo("/app"));
        Assert.That(merged.User, Is.EqualTo("app"));
        Assert.That(merged.StopSignal, Is.EqualTo("SIGQUIT"));
    }

    [Test]
    public void A_cmd_override_keeps_the_image_entrypoint()
    {
        var merged = Merge(new ContainerConfig { Cmd = ["debug"] });
        Assert.That(ContainerSpecBuilder.ResolveCommand(merged).Argv, Is.EqualTo(new[] { "/entry.sh", "debug" }));
    }

    [Test]
    public void An_entrypoint_override_drops_the_image_cmd()
    {
        var merged = Merge(new ContainerConfig { Entrypoint = ["sh"] });
        Assert.That(ContainerSpecBuilder.ResolveCommand(merged).Argv, Is.EqualTo(new[] { "sh" }));
        var both = Merge(new ContainerConfig { Entrypoint = ["sh"], Cmd = ["-c", "true"] });
        Assert.That(ContainerSpecBuilder.ResolveCommand(both).Argv, Is.EqualTo(new[] { "sh", "-c", "true" }));
    }

    [Test]
    public void An_empty_entrypoint_clears_it()
    {
        var merged = Merge(new ContainerConfig { Entrypoint = [""], Cmd = ["ls", "-d", "/"] });
        Assert.That(ContainerSpecBuilder.ResolveCommand(merged).Argv, Is.EqualTo(new[] { "ls", "-d", "/" }));
        var command = ContainerSpecBuilder.ResolveCommand(merged);
        Assert.That(command.Path, Is.EqualTo("ls"));
        Assert.That(command.Args, Is.EqualTo(new[] { "-d", "/" }));
    }

    [Test]
    public void No_command_at_all_is_an_error()
    {
        var merged = ContainerSpecBuilder.Merge(new ContainerConfig(), new ImageDefaults(null, null, null, null, null, null));
        Assert.That(() => ContainerSpecBuilder.ResolveCommand(merged), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("no command specified"));
    }

    [Test]
    public void Env_keeps_image_values_overridden_by_the_container_with_path_hostname_and_home()
    {
        var merged = Merge(new ContainerConfig { Env = ["LANG=en_US.UTF-8", "EXTRA=1"] });
        var env = ContainerSpecBuilder.BuildEnv(merged, "host1", "/home/app");
        Assert.That(env, Is.EqualTo(new[] { "PATH=/image/bin", "HOSTNAME=host1", "LANG=en_US.UTF-8", "EXTRA=1", "HOME=/home/app" }));
    }

    [Test]
    public void Path_is_defaulted_and_tty_sets_term()
    {
        var merged = ContainerSpecBuilder.Merge(new ContainerConfig { Tty = true, Cmd = ["sh"] }, new ImageDefaults(null, null, null, null, null, null));
        var env = ContainerSpecBuilder.BuildEnv(merged, "h", "/root");
        Assert.That(env, Is.EqualTo(new[] { ContainerSpecBuilder.DefaultPathEnv, "HOSTNAME=h", "TERM=xterm", "HOME=/root" }));
    }

    [Test]
    public void Labels_merge_image_first()
    {
        var merged = ContainerSpecBuilder.Merge(
            new ContainerConfig { Cmd = ["x"], Labels = new() { ["a"] = "container", ["c"] = "3" } },
            Image, new Dictionary<string, string> { ["a"] = "image", ["b"] = "2" });
        Assert.That(merged.Labels, Is.EqualTo(new Dictionary<string, string> { ["a"] = "container", ["b"] = "2", ["c"] = "3" }));
    }

    [Test]
    public void The_init_spec_carries_docker_defaults()
    {
        string id = new('c', 64);
        var merged = Merge(new ContainerConfig());
        var spec = ContainerSpecBuilder.Build(id, merged, new HostConfig { Binds = ["/srv:/data:ro"], SecurityOpt = ["no-new-privileges"] },
            "/rootfs", new ResolvedUser(1000, 1000, [100], "/home/app"), new InitCgroupMount { Version = 2 }, ["/proc/kcore"]);
        Assert.That(spec.Hostname, Is.EqualTo(id[..12]));
        Assert.That(spec.Capabilities, Is.EqualTo(0xa80425fbUL));
        Assert.That(spec.NoNewPrivileges, Is.True);
        Assert.That(spec.Uid, Is.EqualTo(1000));
        Assert.That(spec.AdditionalGids, Is.EqualTo(new[] { 100u }));
        Assert.That(spec.WorkingDir, Is.EqualTo("/app"));
        Assert.That(spec.ShmSize, Is.EqualTo(64 * 1024 * 1024));
        Assert.That(spec.Mounts.Single().Destination, Is.EqualTo("/data"));
        Assert.That(spec.Mounts.Single().ReadOnly, Is.True);
        Assert.That(spec.MaskedPaths, Is.EqualTo(new[] { "/proc/kcore" }));
        Assert.That(spec.ReadonlyPaths, Does.Contain("/proc/sys"));
    }

    [Test]
    public void Privileged_gets_every_capability_and_no_masks()
    {
        var spec = ContainerSpecBuilder.Build(new string('d', 64), Merge(new ContainerConfig()), new HostConfig { Privileged = true },
            "/rootfs", new ResolvedUser(0, 0, [], "/root"), new InitCgroupMount(), ["/proc/kcore"]);
        Assert.That(spec.MaskedPaths, Is.Empty);
        Assert.That(spec.ReadonlyPaths, Is.Empty);
        Assert.That(spec.Capabilities, Is.EqualTo((1UL << Berth.Engine.Security.Capabilities.All.Count) - 1));
    }
}
