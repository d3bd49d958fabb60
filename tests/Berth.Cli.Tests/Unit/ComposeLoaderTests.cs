using Berth.Compose;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>Issue 17: loading compose files (merge, interpolation, .env, profiles, extends, keys, errors with file and line) and the create requests made of them.</summary>
public sealed class ComposeLoaderTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("berth-compose-unit-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private ComposeProject Load(IReadOnlyList<string>? files = null, Dictionary<string, string>? environment = null, IReadOnlyList<string>? profiles = null, string? name = null) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = files ?? [],
            CurrentDirectory = _dir,
            Environment = environment ?? new Dictionary<string, string>(),
            Profiles = profiles ?? [],
            ProjectName = name,
        });

    private static string? Text(MapNode node, string key) => (node[key] as ScalarNode)?.Value;

    [Test]
    public void FindsTheDefaultFileAndNamesTheProjectAfterItsDirectory()
    {
        Write("compose.yaml", "services:\n  web:\n    image: busybox\n");
        var project = Load();
        Assert.That(project.Name, Is.EqualTo(Path.GetFileName(_dir).ToLowerInvariant().Replace(".", "")));
        Assert.That(project.ConfigFiles, Is.EqualTo(new[] { Path.Combine(_dir, "compose.yaml") }));
        Assert.That(project.WorkingDirectory, Is.EqualTo(_dir));
        Assert.That(Load(name: "given").Name, Is.EqualTo("given"));
    }

    [Test]
    public void InterpolatesFromDotEnvAndTheEnvironmentWhichWins()
    {
        Write(".env", "# comment\nTAG=1.0\nexport PORT=8080\nQUOTED=\"a b\"\n");
        Write("docker-compose.yml", """
            services:
              web:
                image: "busybox:${TAG}"
                ports: ["${PORT:-80}:80"]
                environment:
                  A: ${UNSET:-fallback}
                  B: ${UNSET-}
                  C: $$literal
                  D: ${QUOTED}
                  E: ${TAG:+set}
                  F: ${EMPTY:-empty-default}
                  G: ${EMPTY-kept}
            """);
        var project = Load(environment: new() { ["PORT"] = "9090", ["EMPTY"] = "" });
        var web = project.Services["web"];
        Assert.That(Text(web, "image"), Is.EqualTo("busybox:1.0"));
        Assert.That(((web["ports"] as ListNode)!.Items[0] as ScalarNode)!.Value, Is.EqualTo("9090:80"));
        var env = (MapNode)web["environment"]!;
        Assert.That(env.Entries.Select(e => $"{e.Key}={(e.Value as ScalarNode)!.Value}"),
            Is.EqualTo(new[] { "A=fallback", "B=", "C=$literal", "D=a b", "E=set", "F=empty-default", "G=" }));
    }

    [Test]
    public void RequiredVariableAndBadSyntaxNameFileAndLine()
    {
        string file = Write("compose.yaml", "services:\n  web:\n    image: busybox\n    command: echo ${NEEDED:?set NEEDED first}\n");
        var e = Assert.Throws<ComposeFileException>(() => Load())!;
        Assert.That(e.Message, Is.EqualTo($"{file}:4: required variable NEEDED is missing a value: set NEEDED first"));
        Write("compose.yaml", "services:\n  web:\n    image: busybox\n    command: echo ${BROKEN\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Does.StartWith(file + ":4: invalid interpolation format"));
    }

    [Test]
    public void UnknownKeysAndBadYamlAreErrorsWithFileAndLine()
    {
        string file = Write("compose.yaml", "services:\n  web:\n    image: busybox\n    imagee: typo\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Is.EqualTo($"{file}:4: services.web additional property imagee is not allowed"));
        Write("compose.yaml", "services:\n  web:\n    image: busybox\n    x-mine: allowed\nx-top: {a: 1}\n");
        Assert.That(Load().Services["web"]["x-mine"], Is.Not.Null, "x- extensions are allowed");
        Write("compose.yaml", "services:\n  web:\n    image: [busybox\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Does.StartWith(file + ":"));
        Write("compose.yaml", "servics:\n  web: {}\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Is.EqualTo($"{file}:2: additional property servics is not allowed"));
    }

    [Test]
    public void SeveralFilesMergeByTheSpecsRules()
    {
        string one = Write("compose.yaml", """
            services:
              web:
                image: busybox
                command: ["sh", "-c", "one"]
                environment: [A=1, B=2]
                labels: {x: "1"}
                ports: ["8080:80"]
                volumes: ["data:/data", "/host:/other"]
                networks: [front]
            networks: {front: {}, back: {}}
            volumes: {data: {}, more: {}}
            """);
        string two = Write("override.yaml", """
            services:
              web:
                command: sh -c two
                environment: {B: "3", C: "4"}
                ports: ["9090:90"]
                volumes: ["more:/data:ro"]
                networks:
                  back: {aliases: [b]}
            """);
        var web = Load([one, two]).Services["web"];
        Assert.That(((ScalarNode)web["command"]!).Value, Is.EqualTo("sh -c two"), "command is replaced");
        Assert.That(((MapNode)web["environment"]!).Entries.Select(e => e.Key + "=" + ((ScalarNode)e.Value).Value), Is.EqualTo(new[] { "A=1", "B=3", "C=4" }));
        Assert.That(((ListNode)web["ports"]!).Items.Select(i => ((ScalarNode)i).Value), Is.EqualTo(new[] { "8080:80", "9090:90" }), "ports are appended");
        Assert.That(((ListNode)web["volumes"]!).Items.Select(i => ((ScalarNode)i).Value), Is.EqualTo(new[] { "more:/data:ro", "/host:/other" }), "a volume replaces the one with its target");
        Assert.That(((MapNode)web["networks"]!).Entries.Keys, Is.EqualTo(new[] { "front", "back" }));
    }

    [Test]
    public void OverrideFileIsReadNextToTheDefaultFile()
    {
        Write("docker-compose.yml", "services:\n  web:\n    image: busybox\n");
        Write("docker-compose.override.yml", "services:\n  web:\n    image: busybox:2\n");
        var project = Load();
        Assert.That(project.ConfigFiles, Has.Count.EqualTo(2));
        Assert.That(Text(project.Services["web"], "image"), Is.EqualTo("busybox:2"));
    }

    [Test]
    public void ProfilesLeaveOutInactiveServices()
    {
        Write("compose.yaml", "services:\n  web: {image: busybox}\n  debug: {image: busybox, profiles: [dev]}\n");
        Assert.That(Load().Services.Keys, Is.EqualTo(new[] { "web" }));
        Assert.That(Load(profiles: ["dev"]).Services.Keys, Is.EqualTo(new[] { "web", "debug" }));
        Assert.That(Load(environment: new() { ["COMPOSE_PROFILES"] = "dev" }).Services.Keys, Is.EqualTo(new[] { "web", "debug" }));
    }

    [Test]
    public void ExtendsFromTheSameAndAnotherFile()
    {
        Write("common.yml", "services:\n  base:\n    image: busybox\n    environment: {FROM: common}\n    labels: [a=1]\n");
        Write("compose.yaml", """
            services:
              local:
                image: busybox:local
                user: nobody
              web:
                extends: local
                command: echo web
              api:
                extends: {file: common.yml, service: base}
                environment: {OWN: "1"}
            """);
        var project = Load();
        Assert.That((Text(project.Services["web"], "image"), Text(project.Services["web"], "user"), project.Services["web"]["extends"]), Is.EqualTo(("busybox:local", "nobody", (ComposeNode?)null)));
        var api = project.Services["api"];
        Assert.That(Text(api, "image"), Is.EqualTo("busybox"));
        Assert.That(((MapNode)api["environment"]!).Entries.Keys, Is.EqualTo(new[] { "FROM", "OWN" }));
    }

    [Test]
    public void EnvFileIsUnderTheServiceEnvironment()
    {
        Write("web.env", "A=from-file\nB=from-file\n");
        Write("compose.yaml", "services:\n  web:\n    image: busybox\n    env_file: web.env\n    environment: {B: own}\n");
        var env = (MapNode)Load().Services["web"]["environment"]!;
        Assert.That(env.Entries.Select(e => e.Key + "=" + ((ScalarNode)e.Value).Value), Is.EqualTo(new[] { "A=from-file", "B=own" }));
    }

    [Test]
    public void ReferenceErrorsCyclesAndPortConflicts()
    {
        string file = Write("compose.yaml", "services:\n  a: {image: busybox, depends_on: [b]}\n  b: {image: busybox, depends_on: [a]}\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Does.Contain("dependency cycle detected: a -> b -> a"));
        Write("compose.yaml", "services:\n  a: {image: busybox, depends_on: [nothere]}\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Does.Contain("depends on undefined service \"nothere\""));
        Write("compose.yaml", "services:\n  a: {image: busybox, volumes: [\"undeclared:/data\"]}\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Does.Contain("refers to undefined volume undeclared"));
        Write("compose.yaml", "services:\n  a: {image: busybox, networks: [nonet]}\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Does.Contain("refers to undefined network nonet"));
        Write("compose.yaml", "services:\n  a:\n    image: busybox\n    ports: [\"8080:80\"]\n  b:\n    image: busybox\n    ports: [\"8080:81\"]\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Is.EqualTo($"{file}:7: services \"a\" and \"b\" both publish host port 8080/tcp"));
        Write("compose.yaml", "services:\n  a: {command: true}\n");
        Assert.That(Assert.Throws<ComposeFileException>(() => Load())!.Message, Does.Contain("has neither an image nor a build context"));
    }

    [Test]
    public void DependencyOrderPutsDependenciesFirst()
    {
        Write("compose.yaml", "services:\n  web: {image: busybox, depends_on: {api: {condition: service_healthy}}}\n  api: {image: busybox, links: [\"db:database\"]}\n  db: {image: busybox}\n");
        Assert.That(DependencyOrder.Sort(Load()), Is.EqualTo(new[] { "db", "api", "web" }));
    }

    [Test]
    public void CreateRequestCarriesTheServiceKeysAndComposeLabels()
    {
        Write("compose.yaml", """
            name: seed
            services:
              db:
                image: busybox
              web:
                image: busybox
                command: sh -c 'echo "a b"'
                entrypoint: ["/bin/sh"]
                environment: [A=1, FROM_SHELL]
                ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001/udp"]
                expose: ["3000"]
                links: ["db:mysql"]
                networks:
                  default: {aliases: [www], ipv4_address: 172.30.0.5}
                volumes:
                  - data:/data:ro
                  - ./site:/site
                  - {type: tmpfs, target: /tmp, tmpfs: {size: 1m}}
                tmpfs: [/run]
                restart: on-failure:3
                healthcheck: {test: ["CMD", "true"], interval: 1m30s, timeout: 500ms, retries: 3}
                labels: {own: label}
                hostname: webhost
                user: "1000"
                working_dir: /site
                stop_signal: SIGINT
                stop_grace_period: 1m
                init: true
                read_only: true
                cap_add: [NET_ADMIN]
                cap_drop: [ALL]
                mem_limit: 64m
                cpus: "0.5"
                pids_limit: 100
                logging: {driver: json-file, options: {max-size: 1m}}
            volumes:
              data: {}
            """);
        var project = Load(environment: new() { ["FROM_SHELL"] = "shell" });
        var planner = new ContainerPlanner(project);
        var request = planner.Create("web", 1, false, new Dictionary<string, string> { ["db"] = "seed-db-1" });
        Assert.That(request.Cmd, Is.EqualTo(new[] { "sh", "-c", "echo \"a b\"" }));
        Assert.That(request.Entrypoint, Is.EqualTo(new[] { "/bin/sh" }));
        Assert.That(request.Env, Is.EqualTo(new[] { "A=1", "FROM_SHELL=shell" }));
        Assert.That(request.ExposedPorts!.Keys.Order(), Is.EqualTo(new[] { "3000/tcp", "80/tcp", "9000/udp", "9001/udp" }));
        Assert.That(request.HostConfig!.PortBindings!["80/tcp"]!.Single().HostIp + ":" + request.HostConfig.PortBindings["80/tcp"]!.Single().HostPort, Is.EqualTo("127.0.0.1:8080"));
        Assert.That(request.HostConfig.PortBindings["9001/udp"]!.Single().HostPort, Is.EqualTo("9001"));
        Assert.That(request.HostConfig.Links, Is.EqualTo(new[] { "seed-db-1:mysql" }));
        Assert.That(request.HostConfig.NetworkMode, Is.EqualTo("seed_default"));
        var endpoint = request.NetworkingConfig!.EndpointsConfig!["seed_default"]!;
        Assert.That((string.Join(",", endpoint.Aliases!), endpoint.IPAMConfig!.IPv4Address), Is.EqualTo(("web,www", "172.30.0.5")));
        Assert.That(request.HostConfig.Mounts!.Select(m => $"{m.Type}:{m.Source}:{m.Target}:{m.ReadOnly}"),
            Is.EqualTo(new[] { "volume:seed_data:/data:True", $"bind:{Path.Combine(_dir, "site")}:/site:False", "tmpfs::/tmp:False", "tmpfs::/run:False" }));
        Assert.That(request.HostConfig.Mounts![2].TmpfsOptions!.SizeBytes, Is.EqualTo(1 << 20));
        Assert.That((request.HostConfig.RestartPolicy!.Name, request.HostConfig.RestartPolicy.MaximumRetryCount), Is.EqualTo(("on-failure", 3)));
        Assert.That((request.Healthcheck!.Test, request.Healthcheck.Interval, request.Healthcheck.Timeout, request.Healthcheck.Retries),
            Is.EqualTo((new List<string> { "CMD", "true" }, 90_000_000_000L, 500_000_000L, 3)));
        Assert.That(request.Labels!["own"], Is.EqualTo("label"));
        Assert.That(request.Labels[ComposeLabels.Project], Is.EqualTo("seed"));
        Assert.That(request.Labels[ComposeLabels.Service], Is.EqualTo("web"));
        Assert.That(request.Labels[ComposeLabels.ContainerNumber], Is.EqualTo("1"));
        Assert.That(request.Labels[ComposeLabels.OneOff], Is.EqualTo("False"));
        Assert.That(request.Labels[ComposeLabels.WorkingDir], Is.EqualTo(_dir));
        Assert.That(request.Labels[ComposeLabels.ConfigFiles], Is.EqualTo(Path.Combine(_dir, "compose.yaml")));
        Assert.That(request.Labels[ComposeLabels.ConfigHash], Has.Length.EqualTo(64));
        Assert.That((request.Hostname, request.User, request.WorkingDir, request.StopSignal, request.StopTimeout), Is.EqualTo(("webhost", "1000", "/site", "SIGINT", (int?)60)));
        Assert.That((request.HostConfig.Init, request.HostConfig.ReadonlyRootfs, request.HostConfig.Memory, request.HostConfig.NanoCpus, request.HostConfig.PidsLimit),
            Is.EqualTo(((bool?)true, true, 64L << 20, 500_000_000L, (long?)100)));
        Assert.That((request.HostConfig.CapAdd, request.HostConfig.CapDrop), Is.EqualTo((new List<string> { "NET_ADMIN" }, new List<string> { "ALL" })));
        Assert.That((request.HostConfig.LogConfig!.Type, request.HostConfig.LogConfig.Config!["max-size"]), Is.EqualTo(("json-file", "1m")));
        Assert.That(ContainerPlanner.ContainerName(project, "web", 2), Is.EqualTo("seed-web-2"));
        Assert.That(planner.ConfigHash("web"), Is.EqualTo(new ContainerPlanner(Load(environment: new() { ["FROM_SHELL"] = "shell" })).ConfigHash("web")), "the same file gives the same hash");
    }

    [Test]
    public void DeployResourcesReplicasAndRestartPolicy()
    {
        Write("compose.yaml", """
            services:
              worker:
                image: busybox
                deploy:
                  replicas: 3
                  restart_policy: {condition: any}
                  resources: {limits: {cpus: "1.5", memory: 1g, pids: 50}}
            """);
        var request = new ContainerPlanner(Load(name: "p")).Create("worker", 3, false, new Dictionary<string, string>());
        Assert.That((request.HostConfig!.NanoCpus, request.HostConfig.Memory, request.HostConfig.PidsLimit, request.HostConfig.RestartPolicy!.Name),
            Is.EqualTo((1_500_000_000L, 1L << 30, (long?)50, "always")));
    }

    [Test]
    public void ConfigIsPrintableYamlThatLoadsAgain()
    {
        Write("compose.yaml", "services:\n  web:\n    image: busybox\n    environment: [\"ON=true\", \"N=1\"]\n");
        string yaml = NodeYaml.Write(Load(name: "p").Model);
        Assert.That(yaml, Does.StartWith("name: p\nservices:\n  web:\n").And.Contain("ON: \"true\"").And.Contain("N: \"1\""));
        File.WriteAllText(Path.Combine(_dir, "compose.yaml"), yaml);
        Assert.That(NodeYaml.Write(Load().Model), Is.EqualTo(yaml));
    }

    [Test]
    public void BuildIsWhatComposeSendsToTheClassicBuilder()
    {
        Write(".env", "FROM_ENV=env-value\n");
        Write("docker-compose.yml", """
            name: shop
            services:
              web:
                build:
                  context: ./web
                  dockerfile: docker/Dockerfile.dev
                  args: [VERSION=2, FROM_ENV, UNSET_ARG]
                  target: final
                  labels: {team: web}
                  tags: ["shop/web:extra"]
              api:
                image: registry.test/api:1
                build: api
              worker:
                build:
                  context: /abs/worker
                  args: {PLAIN: "1"}
                  labels: [a=b, c]
                  network: none
                  extra_hosts: ["db:10.0.0.2"]
                  no_cache: true
              plain:
                image: busybox
            """);
        var project = Load();
        var web = ServiceBuild.Of(project, "web")!;
        Assert.That((web.Context, web.Dockerfile, web.Target), Is.EqualTo((Path.Combine(_dir, "web"), Path.Combine(_dir, "web", "docker", "Dockerfile.dev"), "final")));
        Assert.That(web.Args, Is.EqualTo(new[] { new KeyValuePair<string, string>("VERSION", "2"), new("FROM_ENV", "env-value") }), "a bare arg comes from the environment, an unset one is left out");
        Assert.That(web.Labels, Is.EqualTo(new[] { new KeyValuePair<string, string>("team", "web") }));
        Assert.That(web.Tags, Is.EqualTo(new[] { "shop-web", "shop/web:extra" }), "compose v2 names the image PROJECT-SERVICE");
        var api = ServiceBuild.Of(project, "api")!;
        Assert.That((api.Context, api.Dockerfile, api.Tags[0]), Is.EqualTo((Path.Combine(_dir, "api"), (string?)null, "registry.test/api:1")));
        var worker = ServiceBuild.Of(project, "worker")!;
        Assert.That((worker.Context, worker.Network, worker.NoCache, worker.Pull), Is.EqualTo(("/abs/worker", "none", true, false)));
        Assert.That(worker.Labels, Is.EqualTo(new[] { new KeyValuePair<string, string>("a", "b"), new("c", "") }));
        Assert.That(worker.ExtraHosts, Is.EqualTo(new[] { "db:10.0.0.2" }));
        Assert.That(ServiceBuild.Of(project, "plain"), Is.Null);
    }

    [Test]
    public void BuildKeysTheClassicBuilderCannotHonourAreRefusedWithTheirLine()
    {
        string file = Write("compose.yaml", "services:\n  web:\n    build:\n      context: .\n      ssh: [default]\n");
        var e = Assert.Throws<ComposeFileException>(() => ServiceBuild.Of(Load(), "web"));
        Assert.That(e!.Message, Is.EqualTo($"{file}:5: services.web.build.ssh is not supported by berth compose (the classic builder)"));
    }
}
