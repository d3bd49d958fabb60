using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// Issue 17: `berth compose`, and Debian's docker-compose 1.29 (Python, docker-py 5.0.3) and python3-docker, unmodified, against a real
/// berthd whose networking lives in a namespace this fixture creates. The project is shaped like the seed's (samples/compose): a web
/// service publishing 8080 that serves what it fetched by name (a link alias) from a database service, environment on
/// both, and a named volume that survives <c>down</c> and is removed by <c>down -v</c>. Every test takes its project
/// down (with -v) whatever happens; the fixture then checks berthd left nothing behind.
/// </summary>
[NonParallelizable]
public sealed class ComposeEndToEndTests
{
    private const string DockerCompose = "/usr/bin/docker-compose";

    /// <summary>samples/compose: the seed-shaped project the README shows, with its .env; each test copies it into a directory named as its project.</summary>
    private static string SampleDirectory => Path.Combine(CliProcess.RepositoryRoot, "samples", "compose");

    private Berth.Network.Tests.TestNamespace? _namespace;
    private Berthd _daemon = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        if (!File.Exists(DockerCompose))
            Assert.Fail($"{DockerCompose} is missing: run scripts/install-deps.sh (Debian's docker-compose and python3-docker)");
        _namespace = new Berth.Network.Tests.TestNamespace("compose");
        // Published ports are fetched on 127.0.0.1 inside the namespace, whose loopback starts down.
        _namespace.In("link", "set", "lo", "up");
        _daemon = await Berthd.StartAsync(_namespace.Path);
        _work = Directory.CreateTempSubdirectory("berth-compose-").FullName;
        var load = await CliProcess.RunAsync(CliProcess.BerthPath, ["load", "-i", global::Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive], Environment);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_daemon is not null)
            await _daemon.DisposeAsync();
        _namespace?.Dispose();
        if (_work is not null)
            Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task SeedProjectServesByNameKeepsItsVolumeAndSecondUpRecreatesNothing()
    {
        string file = Sample("seed");
        try
        {
            var up = await Compose(file, "up", "-d");
            Assert.That(up.ExitCode, Is.Zero, up.ToString());
            Assert.That(up.Stderr, Does.Contain("Creating network \"seed_default\" with the default driver").And.Contain("Creating volume \"seed_dbdata\"")
                .And.Contain("Creating seed_dbserver_1").And.Contain("Creating seed_webserver_1"), up.ToString());
            Assert.That(await FetchAsync("http://127.0.0.1:8080/index.html"), Is.EqualTo("hello from seeddb\n"), _daemon.Log);

            string ids = (await Berth("ps", "-q", "--no-trunc")).Stdout;
            var again = await Compose(file, "up", "-d");
            Assert.That(again.ExitCode, Is.Zero, again.ToString());
            Assert.That(again.Stderr, Does.Contain("seed_dbserver_1 is up-to-date").And.Contain("seed_webserver_1 is up-to-date"), again.ToString());
            Assert.That((await Berth("ps", "-q", "--no-trunc")).Stdout, Is.EqualTo(ids), "nothing recreated when nothing changed");

            var ps = await Compose(file, "ps");
            Assert.That(ps.ExitCode, Is.Zero, ps.ToString());
            string[] rows = ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(rows, Has.Length.EqualTo(4), ps.ToString());
            Assert.That(rows[2], Does.StartWith("seed_dbserver_1").And.Contain("Up"), ps.ToString());
            Assert.That(rows[3], Does.StartWith("seed_webserver_1").And.Contain("Up").And.Contain("0.0.0.0:8080->80/tcp"), ps.ToString());

            // The web container reaches the database by every name compose gives it: link alias, service, container name.
            foreach (string name in new[] { "mysql", "dbserver", "seed_dbserver_1" })
            {
                var exec = await Compose(file, "exec", "-T", "webserver", "wget", "-q", "-O", "-", $"http://{name}:3306/greeting");
                Assert.That((exec.ExitCode, exec.Stdout), Is.EqualTo((0, "hello from seeddb\n")), name + "\n" + exec);
            }
            var env = await Compose(file, "exec", "-T", "webserver", "sh", "-c", "echo $DB_HOST");
            Assert.That(env.Stdout, Is.EqualTo("mysql\n"), env.ToString());

            var port = await Compose(file, "port", "webserver", "80");
            Assert.That((port.ExitCode, port.Stdout), Is.EqualTo((0, "0.0.0.0:8080\n")), port.ToString());
            var top = await Compose(file, "top", "dbserver");
            Assert.That(top.ExitCode, Is.Zero, top.ToString());
            Assert.That(top.Stdout, Does.Contain("seed_dbserver_1").And.Contain("httpd -f -p 3306 -h /data"), top.ToString());
            var images = await Compose(file, "images");
            Assert.That(images.ExitCode, Is.Zero, images.ToString());
            Assert.That(images.Stdout, Does.Contain("seed_dbserver_1").And.Contain("busybox").And.Contain("latest"), images.ToString());
            var config = await Compose(file, "config");
            Assert.That(config.ExitCode, Is.Zero, config.ToString());
            Assert.That(config.Stdout, Does.Contain("DB_HOST: mysql").And.Contain("published: 8080"), config.ToString());

            var logs = await Compose(file, "logs", "--no-color", "dbserver");
            Assert.That(logs.ExitCode, Is.Zero, logs.ToString());
            Assert.That(logs.Stdout, Does.StartWith("Attaching to seed_dbserver_1"), logs.ToString());
            var echo = await Compose(file, "run", "--rm", "-T", "dbserver", "sh", "-c", "echo one-off $DB_NAME; cat /data/greeting");
            Assert.That((echo.ExitCode, echo.Stdout), Is.EqualTo((0, "one-off seeddb\nhello from seeddb\n")), echo.ToString());
            Assert.That((await Berth("ps", "-a", "--filter", "label=com.docker.compose.oneoff=True", "-q")).Stdout, Is.Empty, "run --rm removed its container");

            var stop = await Compose(file, "stop");
            Assert.That(stop.ExitCode, Is.Zero, stop.ToString());
            Assert.That((await Berth("ps", "-q")).Stdout, Is.Empty, "stop stopped both");
            Assert.That((await Compose(file, "ps")).Stdout, Does.Contain("Exit"));
            var start = await Compose(file, "start");
            Assert.That(start.ExitCode, Is.Zero, start.ToString());
            Assert.That(await FetchAsync("http://127.0.0.1:8080/index.html"), Is.EqualTo("hello from seeddb\n"));
            var restart = await Compose(file, "restart", "-t", "1");
            Assert.That(restart.ExitCode, Is.Zero, restart.ToString());
            Assert.That(await FetchAsync("http://127.0.0.1:8080/index.html"), Is.EqualTo("hello from seeddb\n"));

            // The named volume survives down and up: a marker written into it is still there.
            Assert.That((await Compose(file, "exec", "-T", "dbserver", "sh", "-c", "echo kept > /data/marker")).ExitCode, Is.Zero);
            var down = await Compose(file, "down");
            Assert.That(down.ExitCode, Is.Zero, down.ToString());
            Assert.That(down.Stderr, Does.Contain("Removing network seed_default"), down.ToString());
            Assert.That((await Berth("ps", "-aq")).Stdout, Is.Empty, "down removed the containers");
            Assert.That((await Berth("volume", "ls", "-q")).Stdout, Is.EqualTo("seed_dbdata\n"), "down keeps the volume");
            Assert.That((await Compose(file, "up", "-d")).ExitCode, Is.Zero);
            var marker = await Compose(file, "exec", "-T", "dbserver", "cat", "/data/marker");
            Assert.That(marker.Stdout, Is.EqualTo("kept\n"), marker.ToString());

            var downV = await Compose(file, "down", "-v");
            Assert.That(downV.ExitCode, Is.Zero, downV.ToString());
            Assert.That(downV.Stderr, Does.Contain("Removing volume seed_dbdata"), downV.ToString());
            Assert.That((await Berth("volume", "ls", "-q")).Stdout, Is.Empty, "down -v removed the volume");
            Assert.That((await Berth("network", "ls", "--filter", "name=seed", "-q")).Stdout, Is.Empty);
        }
        finally
        {
            await Compose(file, "down", "-v", "-t", "1");
        }
    }

    [Test]
    public async Task ScaleStartsNumberedReplicasAndScalesBackDown()
    {
        string file = Project("scaled", """
            services:
              worker:
                image: busybox
                command: sleep 1000
                stop_signal: SIGKILL
            """);
        try
        {
            var up = await Compose(file, "up", "-d", "--scale", "worker=3");
            Assert.That(up.ExitCode, Is.Zero, up.ToString());
            var names = await Berth("ps", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.project=scaled");
            Assert.That(names.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(), Is.EqualTo(new[] { "scaled_worker_1", "scaled_worker_2", "scaled_worker_3" }));
            var down = await Compose(file, "up", "-d", "--scale", "worker=1");
            Assert.That(down.ExitCode, Is.Zero, down.ToString());
            names = await Berth("ps", "-a", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.project=scaled");
            Assert.That(names.Stdout, Is.EqualTo("scaled_worker_1\n"), down.ToString());
        }
        finally
        {
            await Compose(file, "down", "-v", "-t", "1");
        }
    }

    [Test]
    public async Task DockerPyRunsListsAndConnects()
    {
        string script = Path.Combine(_work, "client.py");
        File.WriteAllText(script, """
            import docker
            client = docker.from_env()
            print(sorted(t for i in client.images.list("busybox") for t in i.tags))
            print(client.containers.run("busybox", ["echo", "from", "docker-py"], remove=True).decode(), end="")
            net = client.networks.create("pynet", driver="bridge", labels={"made.by": "docker-py"})
            vol = client.volumes.create("pyvol", labels={"made.by": "docker-py"})
            c = client.containers.create("busybox", ["sh", "-c", "echo hi > /data/f; sleep 30"], name="pyc", volumes={"pyvol": {"bind": "/data", "mode": "rw"}})
            net.connect(c, aliases=["pyalias"])
            c.start()
            code, out = c.exec_run(["cat", "/etc/hostname"], environment={"X": "1"})
            print(code, len(out.decode().strip()))
            c.reload()
            print(sorted(c.attrs["NetworkSettings"]["Networks"]))
            print(c.attrs["NetworkSettings"]["Networks"]["pynet"]["Aliases"][:1] if False else "pyalias" in c.attrs["NetworkSettings"]["Networks"]["pynet"]["Aliases"])
            c.remove(force=True)
            net.remove()
            vol.remove()
            print([n.name for n in client.networks.list(names=["pynet"])], [v.name for v in client.volumes.list(filters={"label": "made.by=docker-py"})])
            """);
        var run = await CliProcess.RunAsync("/usr/bin/python3", [script], Environment, timeout: TimeSpan.FromSeconds(90));
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Is.EqualTo("['busybox:latest']\nfrom docker-py\n0 12\n['bridge', 'pynet']\nTrue\n[] []\n"), run.ToString());
    }

    [Test]
    public async Task BerthComposeRunsTheSeedProjectAndKeepsItsVolume()
    {
        string file = Sample("bseed");
        try
        {
            var up = await BerthCompose(file, "up", "-d");
            Assert.That(up.ExitCode, Is.Zero, up.ToString());
            Assert.That(up.Stderr, Does.Contain("Network bseed_default  Created").And.Contain("Volume \"bseed_dbdata\"  Created")
                .And.Contain("Container bseed-dbserver-1  Started").And.Contain("Container bseed-webserver-1  Started"), up.ToString());
            Assert.That(await FetchAsync("http://127.0.0.1:8080/index.html"), Is.EqualTo("hello from seeddb\n"), _daemon.Log);
            var inspect = await Berth("inspect", "--format", "{{json .Config.Labels}}", "bseed-webserver-1");
            var labels = JsonNode.Parse(inspect.Stdout)!.AsObject();
            Assert.That(((string?)labels["com.docker.compose.project"], (string?)labels["com.docker.compose.service"], (string?)labels["com.docker.compose.container-number"], (string?)labels["com.docker.compose.oneoff"]),
                Is.EqualTo(("bseed", "webserver", "1", "False")));
            Assert.That((string?)labels["com.docker.compose.project.working_dir"], Is.EqualTo(Path.GetDirectoryName(file)));
            Assert.That((string?)labels["com.docker.compose.project.config_files"], Is.EqualTo(file));

            string ids = (await Berth("ps", "-q", "--no-trunc")).Stdout;
            var again = await BerthCompose(file, "up", "-d");
            Assert.That(again.ExitCode, Is.Zero, again.ToString());
            Assert.That(again.Stderr, Does.Contain("Container bseed-webserver-1  Running"), again.ToString());
            Assert.That((await Berth("ps", "-q", "--no-trunc")).Stdout, Is.EqualTo(ids), "nothing recreated when nothing changed");

            var ps = await BerthCompose(file, "ps");
            string[] rows = ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(rows[0], Does.Match("^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS$"), ps.ToString());
            Assert.That(rows[1..].Select(r => r.Split(' ')[0]), Is.EqualTo(new[] { "bseed-dbserver-1", "bseed-webserver-1" }), ps.ToString());
            Assert.That(rows[2], Does.Contain(" webserver ").And.Contain("Up").And.Contain("0.0.0.0:8080->80/tcp"), ps.ToString());

            foreach (string name in new[] { "mysql", "dbserver", "bseed-dbserver-1" })
            {
                var exec = await BerthCompose(file, "exec", "-T", "webserver", "wget", "-q", "-O", "-", $"http://{name}:3306/greeting");
                Assert.That((exec.ExitCode, exec.Stdout), Is.EqualTo((0, "hello from seeddb\n")), name + "\n" + exec);
            }
            var port = await BerthCompose(file, "port", "webserver", "80");
            Assert.That((port.ExitCode, port.Stdout), Is.EqualTo((0, "0.0.0.0:8080\n")), port.ToString());
            var top = await BerthCompose(file, "top", "dbserver");
            Assert.That(top.Stdout, Does.StartWith("bseed-dbserver-1\n").And.Contain("httpd -f -p 3306 -h /data"), top.ToString());
            var images = await BerthCompose(file, "images");
            Assert.That(images.Stdout, Does.Match("bseed-dbserver-1 +busybox +latest +[0-9a-f]{12} "), images.ToString());
            var config = await BerthCompose(file, "config");
            Assert.That(config.Stdout, Does.StartWith("name: bseed\nservices:\n  dbserver:\n").And.Contain("DB_HOST: mysql"), config.ToString());
            var logs = await BerthCompose(file, "logs", "webserver", "dbserver");
            Assert.That(logs.ExitCode, Is.Zero, logs.ToString());
            var run = await BerthCompose(file, "run", "--rm", "-T", "dbserver", "sh", "-c", "echo one-off $DB_NAME; cat /data/greeting");
            Assert.That((run.ExitCode, run.Stdout), Is.EqualTo((0, "one-off seeddb\nhello from seeddb\n")), run.ToString());
            Assert.That((await Berth("ps", "-aq", "--filter", "label=com.docker.compose.oneoff=True")).Stdout, Is.Empty, "run --rm removed its container");

            var stop = await BerthCompose(file, "stop", "-t", "1");
            Assert.That((stop.ExitCode, (await Berth("ps", "-q")).Stdout), Is.EqualTo((0, "")), stop.ToString());
            Assert.That((await BerthCompose(file, "start")).ExitCode, Is.Zero);
            Assert.That(await FetchAsync("http://127.0.0.1:8080/index.html"), Is.EqualTo("hello from seeddb\n"));
            Assert.That((await BerthCompose(file, "restart", "-t", "1", "webserver")).ExitCode, Is.Zero);
            Assert.That(await FetchAsync("http://127.0.0.1:8080/index.html"), Is.EqualTo("hello from seeddb\n"));

            Assert.That((await BerthCompose(file, "exec", "-T", "dbserver", "sh", "-c", "echo kept > /data/marker")).ExitCode, Is.Zero);
            var down = await BerthCompose(file, "down", "-t", "1");
            Assert.That(down.ExitCode, Is.Zero, down.ToString());
            Assert.That(((await Berth("ps", "-aq")).Stdout, (await Berth("volume", "ls", "-q")).Stdout), Is.EqualTo(("", "bseed_dbdata\n")), "down keeps the volume");
            Assert.That((await BerthCompose(file, "up", "-d")).ExitCode, Is.Zero);
            Assert.That((await BerthCompose(file, "exec", "-T", "dbserver", "cat", "/data/marker")).Stdout, Is.EqualTo("kept\n"));
            var downV = await BerthCompose(file, "down", "-v", "-t", "1");
            Assert.That(downV.Stderr, Does.Contain("Volume bseed_dbdata  Removed"), downV.ToString());
            Assert.That(((await Berth("volume", "ls", "-q")).Stdout, (await Berth("network", "ls", "-q", "--filter", "name=bseed")).Stdout), Is.EqualTo(("", "")));
        }
        finally
        {
            await BerthCompose(file, "down", "-v", "-t", "1");
        }
    }

    [Test]
    public async Task AProjectOfOneToolIsListedAndRemovedByTheOther()
    {
        string file = Project("crossed", """
            services:
              app:
                image: busybox
                command: sleep 1000
                stop_signal: SIGKILL
            """);
        try
        {
            Assert.That((await BerthCompose(file, "up", "-d")).ExitCode, Is.Zero);
            var ps = await Compose(file, "ps");
            Assert.That(ps.Stdout, Does.Contain("crossed-app-1").And.Contain("Up"), ps.ToString());
            var down = await Compose(file, "down");
            Assert.That(down.ExitCode, Is.Zero, down.ToString());
            Assert.That((await Berth("ps", "-aq")).Stdout, Is.Empty, "docker-compose removed berth compose's container");

            Assert.That((await Compose(file, "up", "-d")).ExitCode, Is.Zero);
            var berthPs = await BerthCompose(file, "ps");
            Assert.That(berthPs.Stdout, Does.Contain("crossed_app_1"), berthPs.ToString());
            var ls = await BerthCompose(file, "ls");
            Assert.That(ls.Stdout, Does.Match("crossed +running\\(1\\) "), ls.ToString());
            Assert.That((await BerthCompose(file, "down", "-t", "1")).ExitCode, Is.Zero);
            Assert.That(((await Berth("ps", "-aq")).Stdout, (await Berth("network", "ls", "-q", "--filter", "name=crossed")).Stdout), Is.EqualTo(("", "")));
        }
        finally
        {
            await BerthCompose(file, "down", "-v", "-t", "1");
        }
    }

    [Test]
    public async Task ScaleGivesReplicasTheirOwnAddressesBehindTheServiceName()
    {
        string file = Project("bscaled", """
            services:
              worker:
                image: busybox
                command: sleep 1000
                stop_signal: SIGKILL
                deploy:
                  replicas: 2
              client:
                image: busybox
                command: sleep 1000
                stop_signal: SIGKILL
            """);
        try
        {
            var up = await BerthCompose(file, "up", "-d");
            Assert.That(up.ExitCode, Is.Zero, up.ToString());
            var names = await Berth("ps", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.service=worker");
            Assert.That(names.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(), Is.EqualTo(new[] { "bscaled-worker-1", "bscaled-worker-2" }));
            var lookup = await BerthCompose(file, "exec", "-T", "client", "nslookup", "worker");
            var addresses = System.Text.RegularExpressions.Regex.Matches(lookup.Stdout, @"Address: (\d+\.\d+\.\d+\.\d+)").Select(m => m.Groups[1].Value).ToHashSet();
            Assert.That(addresses, Has.Count.EqualTo(2), lookup.ToString());
            var scaled = await BerthCompose(file, "up", "-d", "--scale", "worker=3");
            Assert.That(scaled.ExitCode, Is.Zero, scaled.ToString());
            Assert.That((await Berth("ps", "-q", "--filter", "label=com.docker.compose.service=worker")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
            Assert.That((await BerthCompose(file, "up", "-d", "--scale", "worker=1")).ExitCode, Is.Zero);
            Assert.That((await Berth("ps", "-a", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.service=worker")).Stdout, Is.EqualTo("bscaled-worker-1\n"));
        }
        finally
        {
            await BerthCompose(file, "down", "-t", "1");
        }
    }

    [Test]
    public async Task BadProjectsFailClearlyAndLeaveNothingBehind()
    {
        string missing = Project("bmissing", """
            services:
              ok:
                image: busybox
                command: sleep 1000
              broken:
                image: no-such-image-here:1
                depends_on: [ok]
            """);
        var up = await BerthCompose(missing, "up", "-d");
        Assert.That(up.ExitCode, Is.Not.Zero, up.ToString());
        Assert.That(up.Stderr, Does.Contain("no-such-image-here:1"), up.ToString());
        Assert.That(((await Berth("ps", "-aq")).Stdout, (await Berth("network", "ls", "-q", "--filter", "name=bmissing")).Stdout), Is.EqualTo(("", "")), "no half-started project");

        string cycle = Project("bcycle", "services:\n  a: {image: busybox, depends_on: [b]}\n  b: {image: busybox, depends_on: [a]}\n");
        var cycled = await BerthCompose(cycle, "up", "-d");
        Assert.That((cycled.ExitCode, cycled.Stderr), Is.EqualTo((1, $"{cycle}:2: dependency cycle detected: a -> b -> a\n")), cycled.ToString());

        string ports = Project("bports", "services:\n  a:\n    image: busybox\n    ports: [\"8080:80\"]\n  b:\n    image: busybox\n    ports: [\"8080:80\"]\n");
        var conflict = await BerthCompose(ports, "up", "-d");
        Assert.That((conflict.ExitCode, conflict.Stderr), Is.EqualTo((1, $"{ports}:7: services \"a\" and \"b\" both publish host port 8080/tcp\n")), conflict.ToString());

        string unknown = Project("bunknown", "services:\n  a:\n    image: busybox\n    restrat: always\n");
        var typo = await BerthCompose(unknown, "up", "-d");
        Assert.That((typo.ExitCode, typo.Stderr), Is.EqualTo((1, $"{unknown}:4: services.a additional property restrat is not allowed\n")), typo.ToString());
        Assert.That(((await Berth("ps", "-aq")).Stdout, (await Berth("network", "ls", "-q", "--filter", "name=bunknown")).Stdout), Is.EqualTo(("", "")));
    }

    /// <summary>A project whose service is built: multi-stage with a target, an arg, a label, a Dockerfile in a subdirectory; a second one with image:.</summary>
    private string BuildProject(string name)
    {
        string file = Project(name, """
            services:
              app:
                build:
                  context: ./app
                  dockerfile: docker/Dockerfile
                  args: {GREETING: hello}
                  target: final
                  labels: {team: web}
                command: ["sh", "-c", "cat /greeting /message.txt; sleep 1000"]
                stop_signal: SIGKILL
              named:
                image: built/named:1
                build: ./named
                command: ["cat", "/named"]
            """);
        string directory = Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(Path.Combine(directory, "app", "docker"));
        File.WriteAllText(Path.Combine(directory, "app", "docker", "Dockerfile"), """
            FROM busybox AS base
            ARG GREETING=default
            RUN echo "$GREETING from the build" > /greeting
            FROM base AS final
            COPY message.txt /message.txt
            FROM final AS after-the-target
            RUN exit 3
            """);
        File.WriteAllText(Path.Combine(directory, "app", "message.txt"), "first message\n");
        Directory.CreateDirectory(Path.Combine(directory, "named"));
        File.WriteAllText(Path.Combine(directory, "named", "Dockerfile"), "FROM busybox\nRUN echo named > /named\n");
        return file;
    }

    [Test]
    public async Task BerthComposeBuildsServicesAndUpRebuildsAndRecreatesWithBuild()
    {
        string file = BuildProject("bbuild");
        string app = Path.Combine(Path.GetDirectoryName(file)!, "app");
        try
        {
            // up builds what is missing (compose v2's PROJECT-SERVICE, or image:), then runs it.
            var up = await BerthCompose(file, "up", "-d");
            Assert.That(up.ExitCode, Is.Zero, up.ToString());
            Assert.That(up.Stdout, Does.Contain("Step 1/").And.Contain("Successfully tagged bbuild-app:latest").And.Contain("Successfully tagged built/named:1"), up.ToString());
            Assert.That(up.Stdout, Does.Not.Contain("exit 3"), "the stage after the target is not built");
            var logs = await WaitForLogAsync("bbuild-app-1", "first message");
            Assert.That(logs, Is.EqualTo("hello from the build\nfirst message\n"));
            var label = await Berth("image", "inspect", "-f", "{{index .Config.Labels \"team\"}}", "bbuild-app");
            Assert.That(label.Stdout, Is.EqualTo("web\n"), label.ToString());
            Assert.That((await Berth("logs", "bbuild-named-1")).Stdout, Is.EqualTo("named\n"));

            // build: every step from the cache; up without --build recreates nothing.
            string id = (await Berth("inspect", "-f", "{{.Id}}", "bbuild-app-1")).Stdout;
            var build = await BerthCompose(file, "build");
            Assert.That(build.ExitCode, Is.Zero, build.ToString());
            Assert.That(build.Stdout, Does.Contain("Using cache").And.Not.Contain("Running in"), build.ToString());
            Assert.That((await BerthCompose(file, "up", "-d", "app")).ExitCode, Is.Zero);
            Assert.That((await Berth("inspect", "-f", "{{.Id}}", "bbuild-app-1")).Stdout, Is.EqualTo(id), "nothing rebuilt, nothing recreated");

            // A changed source: up --build rebuilds from its COPY and recreates the container on the new image.
            File.WriteAllText(Path.Combine(app, "message.txt"), "second message\n");
            var rebuilt = await BerthCompose(file, "up", "-d", "--build", "app");
            Assert.That(rebuilt.ExitCode, Is.Zero, rebuilt.ToString());
            Assert.That(rebuilt.Stderr, Does.Contain("Container bbuild-app-1  Recreate"), rebuilt.ToString());
            Assert.That((await Berth("inspect", "-f", "{{.Id}}", "bbuild-app-1")).Stdout, Is.Not.EqualTo(id));
            Assert.That(await WaitForLogAsync("bbuild-app-1", "second message"), Is.EqualTo("hello from the build\nsecond message\n"));

            // A failing build stops compose with the build's exit code and the classic builder's message.
            File.AppendAllText(Path.Combine(Path.GetDirectoryName(file)!, "named", "Dockerfile"), "RUN exit 7\n");
            var failed = await BerthCompose(file, "build", "--no-cache", "named");
            Assert.That(failed.ExitCode, Is.EqualTo(7), failed.ToString());
            Assert.That(failed.Stderr, Does.Contain("The command '/bin/sh -c exit 7' returned a non-zero code: 7"), failed.ToString());
            // compose sends rm=1 without forcerm, so the failed step's container stays, as with dockerd; it is removed here.
            var kept = await BuildLeftoversAsync();
            Assert.That(kept, Has.Count.EqualTo(1), "the failed RUN's container is kept");
            foreach (string leftover in kept)
                await Berth("rm", "-f", leftover);

            var down = await BerthCompose(file, "down", "--rmi", "local", "-t", "1");
            Assert.That(down.ExitCode, Is.Zero, down.ToString());
            Assert.That(down.Stderr, Does.Contain("Image bbuild-app  Removed").And.Not.Contain("built/named"), "--rmi local removes the images without image:");
        }
        finally
        {
            await BerthCompose(file, "down", "-t", "1");
            foreach (string id in await BuildLeftoversAsync())
                await Berth("rm", "-f", id);
            await Berth("rmi", "-f", "bbuild-app", "built/named:1");
        }
    }

    [Test]
    public async Task DockerComposeBuildsThroughBerthdsClassicBuilder()
    {
        string file = BuildProject("pybuild");
        try
        {
            // docker-py's build (POST /build), not the docker CLI: COMPOSE_DOCKER_CLI_BUILD=0.
            var build = await CliProcess.RunAsync(DockerCompose, ["-f", file, "-p", "pybuild", "build", "app"],
                new Dictionary<string, string>(Environment) { ["COMPOSE_DOCKER_CLI_BUILD"] = "0" }, timeout: TimeSpan.FromSeconds(120));
            Assert.That(build.ExitCode, Is.Zero, build.ToString());
            Assert.That(build.Stdout + build.Stderr, Does.Contain("Successfully tagged pybuild_app:latest"), build.ToString());
            var up = await CliProcess.RunAsync(DockerCompose, ["-f", file, "-p", "pybuild", "up", "-d", "--build"],
                new Dictionary<string, string>(Environment) { ["COMPOSE_DOCKER_CLI_BUILD"] = "0" }, timeout: TimeSpan.FromSeconds(120));
            Assert.That(up.ExitCode, Is.Zero, up.ToString());
            Assert.That(await WaitForLogAsync("pybuild_app_1", "first message"), Is.EqualTo("hello from the build\nfirst message\n"));
            Assert.That((await Berth("image", "inspect", "-f", "{{index .Config.Labels \"team\"}}", "pybuild_app")).Stdout, Is.EqualTo("web\n"));
            Assert.That((await Berth("images", "--format", "{{.Repository}}:{{.Tag}}", "built/named")).Stdout, Is.EqualTo("built/named:1\n"));
        }
        finally
        {
            await Compose(file, "down", "-t", "1");
            await Berth("rmi", "-f", "pybuild_app", "built/named:1");
        }
    }

    [Test]
    public async Task UpWaitsForAHealthyDependencyAndStopsOnAnUnhealthyOne()
    {
        // db turns healthy only after it wrote /shared/ready (2 s in); web records whether the file was there when it started.
        string file = Project("bhealthy", """
            services:
              db:
                image: busybox
                command: ["sh", "-c", "sleep 2; touch /shared/ready; sleep 1000"]
                stop_signal: SIGKILL
                volumes: ["shared:/shared"]
                healthcheck:
                  test: ["CMD", "test", "-f", "/shared/ready"]
                  interval: 1s
                  retries: 30
              web:
                image: busybox
                command: ["sh", "-c", "if test -f /shared/ready; then echo started-after-healthy; else echo started-too-early; fi; sleep 1000"]
                stop_signal: SIGKILL
                volumes: ["shared:/shared"]
                depends_on:
                  db: {condition: service_healthy}
            volumes:
              shared: {}
            """);
        string sick = Project("bsick", """
            services:
              db:
                image: busybox
                command: sleep 1000
                stop_signal: SIGKILL
                healthcheck: {test: ["CMD", "false"], interval: 1s, retries: 1}
              web:
                image: busybox
                command: sleep 1000
                depends_on:
                  db: {condition: service_healthy}
            """);
        try
        {
            var up = await BerthCompose(file, "up", "-d");
            Assert.That(up.ExitCode, Is.Zero, up.ToString());
            Assert.That(await WaitForLogAsync("bhealthy-web-1", "started"), Is.EqualTo("started-after-healthy\n"), up.ToString());
            Assert.That((await Berth("inspect", "-f", "{{.State.Health.Status}}", "bhealthy-db-1")).Stdout, Is.EqualTo("healthy\n"));

            var failed = await BerthCompose(sick, "up", "-d");
            Assert.That(failed.ExitCode, Is.EqualTo(1), failed.ToString());
            Assert.That(failed.Stderr, Does.Contain("dependency failed to start: container bsick-db-1 is unhealthy"), failed.ToString());
            Assert.That((await Berth("ps", "-aq", "--filter", "label=com.docker.compose.project=bsick")).Stdout, Is.Empty, "a failed up removes what it created");
        }
        finally
        {
            await BerthCompose(file, "down", "-v", "-t", "1");
            await BerthCompose(sick, "down", "-t", "1");
        }
    }

    /// <summary>Containers that belong to no compose project: what a failed build step left.</summary>
    private async Task<List<string>> BuildLeftoversAsync()
    {
        var all = (await Berth("ps", "-aq")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var project = (await Berth("ps", "-aq", "--filter", "label=com.docker.compose.project")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return all.Except(project).ToList();
    }

    /// <summary>The container's logs once they contain <paramref name="text"/> (a started container writes them soon), or what they were after 30 s.</summary>
    private async Task<string> WaitForLogAsync(string container, string text)
    {
        string logs = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            logs = (await Berth("logs", container)).Stdout;
            if (logs.Contains(text, StringComparison.Ordinal))
                break;
        }
        return logs;
    }

    private string Sample(string name)
    {
        string file = Project(name, File.ReadAllText(Path.Combine(SampleDirectory, "docker-compose.yml")));
        File.Copy(Path.Combine(SampleDirectory, ".env"), Path.Combine(Path.GetDirectoryName(file)!, ".env"));
        return file;
    }

    private string Project(string name, string yaml)
    {
        string directory = Directory.CreateDirectory(Path.Combine(_work, name)).FullName;
        string file = Path.Combine(directory, "docker-compose.yml");
        File.WriteAllText(file, yaml);
        return file;
    }

    private Dictionary<string, string> Environment => new() { ["DOCKER_HOST"] = _daemon.Host, ["BERTH_HOST"] = _daemon.Host };

    private Task<CliProcess.Result> Compose(string file, params string[] args) =>
        CliProcess.RunAsync(DockerCompose, ["-f", file, "-p", Path.GetFileName(Path.GetDirectoryName(file))!, .. args], Environment, timeout: TimeSpan.FromSeconds(90));

    private Task<CliProcess.Result> BerthCompose(string file, params string[] args) =>
        CliProcess.RunAsync(CliProcess.BerthPath, ["compose", "-f", file, .. args], Environment, timeout: TimeSpan.FromSeconds(90));

    private Task<CliProcess.Result> Berth(params string[] args) => CliProcess.RunAsync(CliProcess.BerthPath, args, Environment);

    /// <summary>GET from the fixture's namespace (where berthd publishes), retried until the service answers or 30 s pass.</summary>
    private async Task<string> FetchAsync(string url)
    {
        CliProcess.Result? last = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            last = await CliProcess.RunAsync("ip", ["netns", "exec", _namespace!.Name, "busybox", "wget", "-q", "-O", "-", url], new Dictionary<string, string>());
            if (last.ExitCode == 0)
                return last.Stdout;
        }
        return "no answer: " + last;
    }
}
