using Berth.Engine.Containers;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>What a process sees inside a container: namespaces, mounts, capabilities, identity.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerIsolationTests : EngineFixture
{

    [Test]
    public async Task Output_and_exit_code_come_back()
    {
        var hello = await Engine.RunAsync("echo", "hello");
        Assert.That(hello.ExitCode, Is.EqualTo(0));
        Assert.That(hello.Stdout, Is.EqualTo("hello\n"));

        var three = await Engine.RunAsync("sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.That(three.ExitCode, Is.EqualTo(3));
        Assert.That(three.Stdout, Is.EqualTo("out\n"));
        Assert.That(three.Stderr, Is.EqualTo("err\n"));
        Assert.That(three.Container.State.Status, Is.EqualTo(ContainerStatus.Exited));
        Assert.That(three.Container.State.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public async Task The_command_is_pid_1_and_proc_shows_only_the_container()
    {
        var run = await Engine.RunAsync("sh", "-c", "echo $$; ls /proc | grep -E '^[0-9]+$' | wc -l");
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("1"));
        // sh itself, the pipeline's ls, grep and wc: a handful, never the host's hundreds
        Assert.That(int.Parse(lines[1]), Is.LessThanOrEqualTo(5));
    }

    [Test]
    public async Task Hostname_is_the_short_id_unless_given()
    {
        var run = await Engine.RunAsync("hostname");
        Assert.That(run.Stdout.Trim(), Is.EqualTo(run.Container.Id[..12]));

        var named = await Engine.RunAsync(new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "hostname; echo $HOSTNAME"], Hostname = "web1" });
        Assert.That(named.Stdout, Is.EqualTo("web1\nweb1\n"));
    }

    [Test]
    public async Task Only_loopback_exists_and_it_is_up()
    {
        var run = await Engine.RunAsync("sh", "-c", "ls /sys/class/net; ip -o link show lo");
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("lo"));
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Does.Contain("UP"));
    }

    [Test]
    public async Task Capabilities_are_dockers_default_set_and_nothing_else()
    {
        var run = await Engine.RunAsync("grep", "^Cap", "/proc/self/status");
        var caps = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim());
        Assert.That(caps["CapEff"], Is.EqualTo("00000000a80425fb"));
        Assert.That(caps["CapPrm"], Is.EqualTo("00000000a80425fb"));
        Assert.That(caps["CapBnd"], Is.EqualTo("00000000a80425fb"));
        Assert.That(caps["CapInh"], Is.EqualTo("0000000000000000"));
        Assert.That(caps["CapAmb"], Is.EqualTo("0000000000000000"));
    }

    [Test]
    public async Task A_non_root_user_from_passwd_gets_its_ids_groups_and_no_capabilities()
    {
        var run = await Engine.RunAsync(new ContainerConfig { Image = "busybox", User = "user", Cmd = ["sh", "-c", "id; grep CapEff /proc/self/status; echo $HOME"] });
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("uid=1000(user) gid=1000(user) groups="));
        Assert.That(lines[0], Does.Contain("100(users)").And.Contain("2000(extra)"));
        Assert.That(lines[1], Does.EndWith("0000000000000000"));
        Assert.That(lines[2], Is.EqualTo("/home/user"));

        var numeric = await Engine.RunAsync(new ContainerConfig { Image = "busybox", User = "4242:4343", Cmd = ["id"] });
        Assert.That(numeric.Stdout.Trim(), Does.StartWith("uid=4242 gid=4343"));
    }

    [Test]
    public void An_unknown_user_fails_the_start_with_a_reason()
    {
        var container = Engine.Containers.Create(null, new ContainerConfig { Image = "busybox", User = "nobody-here", Cmd = ["true"] }, new HostConfig());
        var error = Assert.ThrowsAsync<Berth.Engine.Processes.ContainerStartException>(() => Engine.Containers.StartAsync(container.Id));
        Assert.That(error!.Message, Does.Contain("unable to find user nobody-here"));
    }

    [Test]
    public async Task Proc_and_sys_paths_are_masked_and_read_only_like_docker()
    {
        string script = """
            for f in /proc/kcore /proc/keys /proc/timer_list; do [ -e $f ] && echo "$f:$(wc -c < $f)"; done
            ls /sys/firmware | wc -l
            echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo writable || echo readonly
            touch /sys/x 2>/dev/null && echo writable || echo readonly
            """;
        var run = await Engine.RunAsync("sh", "-c", script);
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var masked = lines.Where(l => l.StartsWith("/proc/")).ToList();
        Assert.That(masked, Is.Not.Empty);
        Assert.That(masked, Has.All.EndWith(":0"), "masked files read as /dev/null");
        if (File.Exists("/proc/kcore"))
            Assert.That(masked, Does.Contain("/proc/kcore:0"));
        Assert.That(lines[^3], Is.EqualTo("0"), "/sys/firmware is an empty tmpfs");
        Assert.That(lines[^2], Is.EqualTo("readonly"));
        Assert.That(lines[^1], Is.EqualTo("readonly"));
    }

    [Test]
    public async Task Dev_has_dockers_default_devices_and_links()
    {
        var run = await Engine.RunAsync("sh", "-c", "ls /dev | sort | tr '\\n' ' '; echo; readlink /dev/ptmx; readlink /dev/fd; readlink /dev/stdout; echo x > /dev/null && cat /dev/zero | head -c 3 | wc -c");
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Is.SupersetOf(new[] { "null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "mqueue", "fd", "stdin", "stdout", "stderr" }));
        Assert.That(lines[1..4], Is.EqualTo(new[] { "pts/ptmx", "/proc/self/fd", "/proc/self/fd/1" }));
        Assert.That(lines[4], Is.EqualTo("3"));
    }

    [Test]
    public async Task The_root_is_the_overlay_after_pivot_root_with_no_host_mounts_left()
    {
        var run = await Engine.RunAsync("cat", "/proc/self/mountinfo");
        var mounts = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        var root = mounts.Single(m => m[4] == "/");
        Assert.That(root[^3], Is.EqualTo("overlay"), "fs type of /");
        Assert.That(mounts.Select(m => m[4]), Has.None.StartsWith("/var").And.None.StartsWith("/work").And.None.StartsWith("/home"));
    }

    [Test]
    public async Task Environment_working_dir_and_entrypoint_follow_docker()
    {
        var run = await Engine.RunAsync(new ContainerConfig
        {
            Image = "busybox",
            Cmd = ["sh", "-c", "env | sort; pwd"],
            Env = ["FOO=bar", "PATH=/bin:/usr/bin"],
            WorkingDir = "/made/by/docker",
        });
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Does.Contain("FOO=bar"));
        Assert.That(lines, Does.Contain("PATH=/bin:/usr/bin"));
        Assert.That(lines, Does.Contain("HOME=/root"));
        Assert.That(lines, Does.Contain("HOSTNAME=" + run.Container.Id[..12]));
        Assert.That(lines[^1], Is.EqualTo("/made/by/docker"));

        var entry = await Engine.RunAsync(new ContainerConfig { Image = "busybox", Entrypoint = ["echo", "from-entrypoint"], Cmd = ["arg"] });
        Assert.That(entry.Stdout, Is.EqualTo("from-entrypoint arg\n"));
        Assert.That(entry.Container.Record.Path, Is.EqualTo("echo"));
        Assert.That(entry.Container.Record.Args, Is.EqualTo(new[] { "from-entrypoint", "arg" }));
    }

    [Test]
    public async Task The_default_seccomp_profile_refuses_new_namespaces_and_keyrings()
    {
        var run = await Engine.RunAsync("sh", "-c", "grep Seccomp: /proc/self/status; unshare -U true 2>&1 || echo refused");
        Assert.That(run.Stdout, Does.Contain("Seccomp:\t2"));
        Assert.That(run.Stdout, Does.Contain("Operation not permitted").And.Contain("refused"), "a user namespace would hand out capabilities");

        var unconfined = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "grep Seccomp: /proc/self/status; unshare -U true && echo user-namespace-ok"] },
            new HostConfig { SecurityOpt = ["seccomp=unconfined"] });
        Assert.That(unconfined.Stdout, Is.EqualTo("Seccomp:\t0\nuser-namespace-ok\n"));
    }

    [Test]
    public async Task No_new_privileges_and_read_only_rootfs_when_asked()
    {
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "grep NoNewPrivs /proc/self/status; touch /x 2>/dev/null && echo writable || echo readonly"] },
            new HostConfig { SecurityOpt = ["no-new-privileges"], ReadonlyRootfs = true });
        Assert.That(run.Stdout, Is.EqualTo("NoNewPrivs:\t1\nreadonly\n"));
    }
}
