using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>
/// Issue 15 over the socket: <c>POST /build</c> with the classic builder's protocol, every RUN in a real container.
/// The seed's Dockerfile shape on the busybox fixture, each instruction's effect in the config and the files, the
/// cache (hits, and a changed file invalidating from its ADD on), .dockerignore, multi-stage with a target, ONBUILD,
/// and failures that leave nothing behind.
/// </summary>
public sealed class BuildApiTests : DaemonFixture
{
    private sealed record Build(ApiResponse Response, List<JsonElement> Messages)
    {
        public string Stream => string.Concat(Messages.Where(m => m.TryGetProperty("stream", out _)).Select(m => m.GetProperty("stream").GetString()));

        public string? ImageId => Messages.LastOrDefault(m => m.TryGetProperty("aux", out _)) is { ValueKind: JsonValueKind.Object } aux
            ? aux.GetProperty("aux").GetProperty("ID").GetString() : null;

        public string? Error => Messages.FirstOrDefault(m => m.TryGetProperty("errorDetail", out _)) is { ValueKind: JsonValueKind.Object } error
            ? error.GetProperty("errorDetail").GetProperty("message").GetString() : null;

        public override string ToString() => Response.ToString();
    }

    private static byte[] Tar(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(name.EndsWith('/') ? TarEntryType.Directory : TarEntryType.RegularFile, name)
                {
                    Mode = name.EndsWith('/') ? (UnixFileMode)0x1ED : name.EndsWith(".sh") ? (UnixFileMode)0x1ED : (UnixFileMode)0x1A4,
                    ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                };
                if (!name.EndsWith('/'))
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    private async Task<Build> BuildAsync(string query, params (string Name, string Content)[] files)
    {
        var request = new HttpClientRequest("POST", "/v1.50/build?" + query) { Content = Tar(files) };
        request.Headers.Set("Content-Type", "application/x-tar");
        var response = await Api.SendAsync(request);
        var messages = response.Status == 200
            ? response.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];
        return new Build(response, messages);
    }

    private async Task<int> ContainerCountAsync() => (await Api.GetAsync("/v1.50/containers/json?all=1")).Json.GetArrayLength();

    /// <summary>The content of a file of an image, read through a container that is created, never started, and removed.</summary>
    private async Task<string?> ReadFileAsync(string image, string path)
    {
        string id = await Api.CreateAsync(null, $$"""{"Image":"{{image}}","Cmd":["true"]}""");
        try
        {
            var archive = await Api.GetAsync($"/v1.50/containers/{id}/archive?path={Uri.EscapeDataString(path)}");
            if (archive.Status == 404)
                return null;
            Assert.That(archive.Status, Is.EqualTo(200), archive.ToString());
            using var reader = new TarReader(new MemoryStream(archive.Body));
            var entry = reader.GetNextEntry()!;
            if (entry.DataStream is null)
                return "";
            return new StreamReader(entry.DataStream).ReadToEnd();
        }
        finally
        {
            await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
        }
    }

    private const string SeedDockerfile = """
        FROM busybox
        ENV GREETING=hello
        ADD my_script.sh /
        RUN echo "built by $GREETING" > /built.txt && cat /built.txt
        WORKDIR /app
        LABEL org.example.seed="yes" other=value
        EXPOSE 8080 53/udp
        VOLUME /data
        USER 1000:1000
        STOPSIGNAL SIGINT
        HEALTHCHECK --interval=30s --retries=2 CMD ["/my_script.sh"]
        ENTRYPOINT ["/bin/sh"]
        CMD ["/my_script.sh"]
        """;

    [Test, Order(1)]
    public async Task TheSeedsShapeBuildsWithTheClassicStreamAndEachInstructionsEffect()
    {
        int containers = await ContainerCountAsync();
        var build = await BuildAsync("t=berth-test/seed:v1", ("Dockerfile", SeedDockerfile), ("my_script.sh", "#!/bin/sh\necho hello from the script\n"));
        Assert.That(build.Response.Status, Is.EqualTo(200), build.ToString());
        Assert.That(build.Error, Is.Null, build.Stream);
        string stream = build.Stream;
        Assert.That(stream, Does.StartWith("Step 1/13 : FROM busybox\n ---> "));
        Assert.That(stream, Does.Contain("Step 4/13 : RUN echo \"built by $GREETING\" > /built.txt && cat /built.txt\n ---> Running in "));
        Assert.That(stream, Does.Contain("\nbuilt by hello\n"), "the RUN's own output is in the stream");
        Assert.That(stream, Does.Match(@"\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n"));
        Assert.That(stream, Does.EndWith($"Successfully built {build.ImageId![7..19]}\nSuccessfully tagged berth-test/seed:v1\n"));
        Assert.That(await ContainerCountAsync(), Is.EqualTo(containers), "no intermediate container is left");

        var inspect = (await Api.GetAsync("/v1.50/images/berth-test/seed:v1/json")).Json;
        Assert.That(inspect.GetProperty("Id").GetString(), Is.EqualTo(build.ImageId));
        var config = inspect.GetProperty("Config");
        Assert.That(config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()), Does.Contain("GREETING=hello"));
        Assert.That(config.GetProperty("WorkingDir").GetString(), Is.EqualTo("/app"));
        Assert.That(config.GetProperty("Labels").GetProperty("org.example.seed").GetString(), Is.EqualTo("yes"));
        Assert.That(config.GetProperty("Labels").GetProperty("other").GetString(), Is.EqualTo("value"));
        Assert.That(config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "8080/tcp", "53/udp" }));
        Assert.That(config.GetProperty("Volumes").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "/data" }));
        Assert.That(config.GetProperty("User").GetString(), Is.EqualTo("1000:1000"));
        Assert.That(config.GetProperty("StopSignal").GetString(), Is.EqualTo("SIGINT"));
        var healthcheck = config.GetProperty("Healthcheck");
        Assert.That(healthcheck.GetProperty("Test").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "CMD", "/my_script.sh" }));
        Assert.That(healthcheck.GetProperty("Interval").GetInt64(), Is.EqualTo(30_000_000_000));
        Assert.That(healthcheck.GetProperty("Retries").GetInt32(), Is.EqualTo(2));
        Assert.That(config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "/bin/sh" }));
        Assert.That(config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "/my_script.sh" }));

        Assert.That(await ReadFileAsync("berth-test/seed:v1", "/built.txt"), Is.EqualTo("built by hello\n"));
        Assert.That(await ReadFileAsync("berth-test/seed:v1", "/my_script.sh"), Does.Contain("hello from the script"));
        Assert.That(await ReadFileAsync("berth-test/seed:v1", "/app"), Is.Not.Null, "WORKDIR created its directory");

        // Each step's image is the next one's parent; moby lists such untagged images only with all=1.
        var all = (await Api.GetAsync("/v1.50/images/json?all=1")).Json.EnumerateArray().ToList();
        string parent = all.Single(i => i.GetProperty("Id").GetString() == build.ImageId).GetProperty("ParentId").GetString()!;
        Assert.That(parent, Does.StartWith("sha256:"));
        Assert.That(inspect.GetProperty("Parent").GetString(), Is.EqualTo(parent));
        Assert.That(all.Single(i => i.GetProperty("Id").GetString() == parent).GetProperty("RepoTags").GetArrayLength(), Is.Zero);
        var listed = (await Api.GetAsync("/v1.50/images/json")).Json.EnumerateArray().Select(i => i.GetProperty("Id").GetString()).ToList();
        Assert.That(listed, Does.Contain(build.ImageId).And.Not.Contain(parent), "an intermediate image is hidden without all=1");

        var history = (await Api.GetAsync("/v1.50/images/berth-test/seed:v1/history")).Json.EnumerateArray().Select(h => h.GetProperty("CreatedBy").GetString()).ToList();
        Assert.That(history, Does.Contain("/bin/sh -c #(nop)  ENV GREETING=hello"));
        Assert.That(history, Does.Contain("/bin/sh -c echo \"built by $GREETING\" > /built.txt && cat /built.txt"));
        Assert.That(history, Does.Contain("/bin/sh -c #(nop) WORKDIR /app"));
        Assert.That(history, Does.Contain("/bin/sh -c #(nop)  CMD [\"/my_script.sh\"]"));
        Assert.That(history.Any(h => h!.StartsWith("/bin/sh -c #(nop) ADD file:", StringComparison.Ordinal) && h.EndsWith(" in / ", StringComparison.Ordinal)), Is.True, string.Join('\n', history));
    }

    [Test, Order(2)]
    public async Task ARebuildIsCachedAndAChangedFileInvalidatesFromItsAddOn()
    {
        var files = new[] { ("Dockerfile", SeedDockerfile), ("my_script.sh", "#!/bin/sh\necho hello from the script\n") };
        var first = await BuildAsync("t=berth-test/cached:v1", files);
        Assert.That(first.Error, Is.Null, first.Stream);
        var again = await BuildAsync("t=berth-test/cached:v1", files);
        Assert.That(again.Error, Is.Null, again.Stream);
        Assert.That(again.ImageId, Is.EqualTo(first.ImageId));
        Assert.That(again.Stream, Does.Not.Contain("Running in"), "a fully cached rebuild creates no container");
        Assert.That(again.Stream.Split('\n').Count(l => l == " ---> Using cache"), Is.EqualTo(12));

        var changed = await BuildAsync("t=berth-test/cached:v2", ("Dockerfile", SeedDockerfile), ("my_script.sh", "#!/bin/sh\necho changed\n"));
        Assert.That(changed.Error, Is.Null, changed.Stream);
        Assert.That(changed.ImageId, Is.Not.EqualTo(first.ImageId));
        string[] steps = changed.Stream.Split("Step ")[1..];
        Assert.That(steps[1], Does.Contain("ENV GREETING=hello\n ---> Using cache"), "the step before the ADD is cached");
        Assert.That(steps[2], Does.StartWith("3/13 : ADD my_script.sh /\n ---> Running in "), "the ADD is not");
        Assert.That(steps[3], Does.Contain("Running in"), "nor what follows it");

        var noCache = await BuildAsync("nocache=1", files);
        Assert.That(noCache.Stream, Does.Not.Contain("Using cache"));
    }

    [Test, Order(3)]
    public async Task DockerignoreExcludesFilesFromCopy()
    {
        var build = await BuildAsync("t=berth-test/ignore:v1",
            ("Dockerfile", "FROM busybox\nCOPY . /ctx/\nRUN ls -a /ctx | sort | tr '\\n' ' '\n"),
            (".dockerignore", "# secrets\nsecret.txt\n**/*.log\n!keep.log\n"),
            ("secret.txt", "no"), ("app.txt", "yes"), ("logs/", ""), ("logs/a.log", "no"), ("keep.log", "yes"));
        Assert.That(build.Error, Is.Null, build.Stream);
        Assert.That(build.Stream, Does.Contain(". .. .dockerignore Dockerfile app.txt keep.log logs "));
        Assert.That(await ReadFileAsync("berth-test/ignore:v1", "/ctx/secret.txt"), Is.Null);
        Assert.That(await ReadFileAsync("berth-test/ignore:v1", "/ctx/logs/a.log"), Is.Null);
        Assert.That(await ReadFileAsync("berth-test/ignore:v1", "/ctx/app.txt"), Is.EqualTo("yes"));
    }

    [Test, Order(4)]
    public async Task MultiStageWithATargetAndCopyFrom()
    {
        const string dockerfile = """
            ARG BASE=busybox
            FROM ${BASE} AS build
            ARG MESSAGE=compiled
            RUN echo $MESSAGE > /out.txt
            FROM busybox AS final
            COPY --from=build /out.txt /final/out.txt
            COPY --from=0 /out.txt /zero.txt
            FROM busybox AS broken
            RUN exit 3
            """;
        var build = await BuildAsync("t=berth-test/multi:v1&target=final&buildargs=" + Uri.EscapeDataString("""{"MESSAGE":"from-arg","UNUSED":"x"}"""), ("Dockerfile", dockerfile));
        Assert.That(build.Error, Is.Null, build.Stream);
        Assert.That(build.Stream, Does.StartWith("Step 1/7 : ARG BASE=busybox\nStep 2/7 : FROM ${BASE} AS build\n"));
        Assert.That(build.Stream, Does.Not.Contain("exit 3"), "stages after the target are not built");
        Assert.That(build.Stream, Does.Contain("[Warning] One or more build-args [UNUSED] were not consumed\n"));
        Assert.That(build.Messages.Count(m => m.TryGetProperty("aux", out _)), Is.EqualTo(2), "an aux ID per stage, as moby");
        Assert.That(await ReadFileAsync("berth-test/multi:v1", "/final/out.txt"), Is.EqualTo("from-arg\n"));
        Assert.That(await ReadFileAsync("berth-test/multi:v1", "/zero.txt"), Is.EqualTo("from-arg\n"));
        var history = (await Api.GetAsync("/v1.50/images/berth-test/multi:v1/history")).Json.EnumerateArray().Select(h => h.GetProperty("CreatedBy").GetString());
        Assert.That(history, Does.Not.Contain("|1 MESSAGE=from-arg /bin/sh -c echo $MESSAGE > /out.txt"), "the final stage's history has only its own steps");

        var missing = await BuildAsync("target=nope", ("Dockerfile", dockerfile));
        Assert.That(missing.Response.Status, Is.EqualTo(400));
        Assert.That(missing.Response.Message, Is.EqualTo("failed to reach build target nope in Dockerfile"));
    }

    [Test, Order(5)]
    public async Task OnbuildTriggersRunWhenTheImageIsABase()
    {
        var parent = await BuildAsync("t=berth-test/onbuild-base:v1", ("Dockerfile", "FROM busybox\nONBUILD RUN echo triggered > /trigger.txt\n"));
        Assert.That(parent.Error, Is.Null, parent.Stream);
        var config = (await Api.GetAsync("/v1.50/images/berth-test/onbuild-base:v1/json")).Json.GetProperty("Config");
        Assert.That(config.GetProperty("OnBuild").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "RUN echo triggered > /trigger.txt" }));
        Assert.That(await ReadFileAsync("berth-test/onbuild-base:v1", "/trigger.txt"), Is.Null, "a trigger does not run in its own image");

        var child = await BuildAsync("t=berth-test/onbuild-child:v1", ("Dockerfile", "FROM berth-test/onbuild-base:v1\nCMD [\"cat\", \"/trigger.txt\"]\n"));
        Assert.That(child.Error, Is.Null, child.Stream);
        Assert.That(child.Stream, Does.Contain("# Executing 1 build trigger\n ---> Running in "));
        Assert.That(await ReadFileAsync("berth-test/onbuild-child:v1", "/trigger.txt"), Is.EqualTo("triggered\n"));
        var childConfig = (await Api.GetAsync("/v1.50/images/berth-test/onbuild-child:v1/json")).Json.GetProperty("Config");
        Assert.That(childConfig.TryGetProperty("OnBuild", out var onBuild) ? onBuild.ValueKind : JsonValueKind.Null, Is.AnyOf(JsonValueKind.Null, JsonValueKind.Undefined));
    }

    [Test, Order(6)]
    public async Task AFailingRunStopsTheBuildAndForceRmLeavesNothingBehind()
    {
        int containers = await ContainerCountAsync();
        var mountsBefore = Leaks.MountsUnder(Daemon.DataRoot);
        var images = (await Api.GetAsync("/v1.50/images/json?all=1")).Json.GetArrayLength();
        var failed = await BuildAsync("forcerm=1&nocache=1", ("Dockerfile", "FROM busybox\nRUN echo before; exit 7\nRUN echo never\n"));
        Assert.That(failed.Response.Status, Is.EqualTo(200));
        Assert.That(failed.Error, Is.EqualTo("The command '/bin/sh -c echo before; exit 7' returned a non-zero code: 7"));
        var detail = failed.Messages.Single(m => m.TryGetProperty("errorDetail", out _)).GetProperty("errorDetail");
        Assert.That(detail.GetProperty("code").GetInt32(), Is.EqualTo(7));
        Assert.That(failed.Stream, Does.Contain("before\n"));
        Assert.That(failed.Stream, Does.Contain("Removing intermediate container"));
        Assert.That(failed.Stream, Does.Not.Contain("never"));
        Assert.That(await ContainerCountAsync(), Is.EqualTo(containers));
        Assert.That(Leaks.MountsUnder(Daemon.DataRoot), Is.EqualTo(mountsBefore));
        Assert.That((await Api.GetAsync("/v1.50/images/json?all=1")).Json.GetArrayLength(), Is.EqualTo(images), "a failed step commits nothing");

        // Without --force-rm the failed step's container stays, as with docker (moby removes it only with ForceRemove).
        var kept = await BuildAsync("nocache=1", ("Dockerfile", "FROM busybox\nRUN exit 2\n"));
        Assert.That(kept.Error, Is.EqualTo("The command '/bin/sh -c exit 2' returned a non-zero code: 2"));
        var list = (await Api.GetAsync("/v1.50/containers/json?all=1")).Json.EnumerateArray().ToList();
        Assert.That(list.Count, Is.EqualTo(containers + 1));
        foreach (var container in list)
            await Api.DeleteAsync($"/v1.50/containers/{container.GetProperty("Id").GetString()}?force=1");
    }

    [Test, Order(8)]
    public async Task CopyThroughASymlinkedDirectoryLandsInItsTarget()
    {
        // As /bin -> usr/bin on a merged-/usr base: docker follows the destination's symlinked directories inside the rootfs.
        var build = await BuildAsync("t=berth-test/symlink:v1",
            ("Dockerfile", "FROM busybox\nRUN mkdir -p /usr/real && ln -s usr/real /link\nCOPY tool.sh /link/\nCOPY tool.sh /link/renamed.sh\nRUN ls /usr/real | tr '\\n' ' '\n"),
            ("tool.sh", "echo tool\n"));
        Assert.That(build.Error, Is.Null, build.Stream);
        Assert.That(build.Stream, Does.Contain("\nrenamed.sh tool.sh "));
        Assert.That(await ReadFileAsync("berth-test/symlink:v1", "/usr/real/tool.sh"), Is.EqualTo("echo tool\n"));
    }

    [Test, Order(7)]
    public async Task BadRequestsAreRefusedClearly()
    {
        var buildkit = await BuildAsync("version=2", ("Dockerfile", "FROM busybox\n"));
        Assert.That(buildkit.Response.Status, Is.EqualTo(400));
        Assert.That(buildkit.Response.Message, Does.Contain("BuildKit"));

        var syntax = await BuildAsync("", ("Dockerfile", "FROM busybox\nRUN true\nFOO bar\n"));
        Assert.That(syntax.Response.Status, Is.EqualTo(400));
        Assert.That(syntax.Response.Message, Is.EqualTo("dockerfile parse error on line 3: unknown instruction: FOO"));

        var noDockerfile = await BuildAsync("dockerfile=Other", ("Dockerfile", "FROM busybox\n"));
        Assert.That(noDockerfile.Response.Status, Is.EqualTo(400));
        Assert.That(noDockerfile.Response.Message, Is.EqualTo("Cannot locate specified Dockerfile: Other"));

        var missing = await BuildAsync("", ("Dockerfile", "FROM busybox\nCOPY nothing.txt /\n"));
        Assert.That(missing.Error, Is.EqualTo("COPY failed: file not found in build context or excluded by .dockerignore: stat nothing.txt: file does not exist"));

        var escape = await BuildAsync("", ("Dockerfile", "FROM busybox\nCOPY ../../etc/passwd /\n"));
        Assert.That(escape.Error, Does.Contain("forbidden path outside the build context"));

        var platform = await BuildAsync("platform=linux/s390x", ("Dockerfile", "FROM busybox\n"));
        Assert.That(platform.Response.Status, Is.EqualTo(400));

        Assert.That((await Api.GetAsync("/_ping")).Headers["Builder-Version"], Is.EqualTo("1"));
    }

    [Test, Order(9)]
    public async Task RmiOfABuiltImageDeletesItsUntaggedIntermediatesAsMoby()
    {
        // moby's imageDeleteHelper: a deleted image's parent goes too when nothing names it, builds on it or runs it.
        var baseBuild = await BuildAsync("t=berth-test/rmi-base:v1&nocache=1", ("Dockerfile", "FROM busybox\nRUN echo one > /one\nRUN echo two > /two\n"));
        Assert.That(baseBuild.Error, Is.Null, baseBuild.Stream);
        var child = await BuildAsync("t=berth-test/rmi-child:v1", ("Dockerfile", "FROM berth-test/rmi-base:v1\nRUN echo three > /three\nENV X=1\n"));
        Assert.That(child.Error, Is.Null, child.Stream);
        async Task<HashSet<string>> AllImagesAsync() => (await Api.GetAsync("/v1.50/images/json?all=1")).Json.EnumerateArray().Select(i => i.GetProperty("Id").GetString()!).ToHashSet();
        async Task<string> ParentAsync(string id) => (await Api.GetAsync($"/v1.50/images/{id}/json")).Json.GetProperty("Parent").GetString()!;
        string childRun = await ParentAsync(child.ImageId!);
        string baseTop = await ParentAsync(childRun);
        string baseRun = await ParentAsync(baseTop);
        Assert.That(await ParentAsync(baseRun), Is.Not.Empty, "the first RUN's parent is busybox");
        string busybox = await ParentAsync(baseRun);

        // The last name of an image others are built on only untags it; its ID is refused.
        var byId = await Api.DeleteAsync($"/v1.50/images/{baseTop}");
        Assert.That(byId.Status, Is.EqualTo(409), byId.ToString());
        Assert.That(byId.Message, Is.EqualTo($"conflict: unable to delete {baseTop[7..19]} (cannot be forced) - image has dependent child images"));
        var untag = await Api.DeleteAsync("/v1.50/images/berth-test/rmi-base:v1");
        Assert.That(untag.Status, Is.EqualTo(200), untag.ToString());
        Assert.That(untag.Json.EnumerateArray().Select(i => i.TryGetProperty("Deleted", out _)).Any(d => d), Is.False, untag.ToString());
        Assert.That(await AllImagesAsync(), Does.Contain(baseTop));

        // rmi of the child deletes the whole untagged chain down to busybox, which is tagged and stays.
        var rmi = await Api.DeleteAsync("/v1.50/images/berth-test/rmi-child:v1");
        Assert.That(rmi.Status, Is.EqualTo(200), rmi.ToString());
        var deleted = rmi.Json.EnumerateArray().Where(i => i.TryGetProperty("Deleted", out _)).Select(i => i.GetProperty("Deleted").GetString()).ToList();
        Assert.That(deleted, Does.Contain(child.ImageId).And.Contain(childRun).And.Contain(baseTop).And.Contain(baseRun).And.Not.Contain(busybox));
        var left = await AllImagesAsync();
        Assert.That(left, Does.Not.Contain(childRun).And.Not.Contain(baseTop).And.Not.Contain(baseRun).And.Contain(busybox));

        // noprune keeps the parents.
        var kept = await BuildAsync("t=berth-test/rmi-kept:v1&nocache=1", ("Dockerfile", "FROM busybox\nRUN echo kept > /kept\nENV Y=1\n"));
        string keptParent = await ParentAsync(kept.ImageId!);
        Assert.That((await Api.DeleteAsync("/v1.50/images/berth-test/rmi-kept:v1?noprune=1")).Status, Is.EqualTo(200));
        Assert.That(await AllImagesAsync(), Does.Contain(keptParent).And.Not.Contain(kept.ImageId));
        Assert.That((await Api.DeleteAsync($"/v1.50/images/{keptParent}")).Status, Is.EqualTo(200));
    }
}
