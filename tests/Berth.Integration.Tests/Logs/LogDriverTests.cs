using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Logs;

/// <summary>Log drivers of real containers: json-file rotation limits and the none driver.</summary>
[TestFixture]
[NonParallelizable]
public sealed class LogDriverTests : EngineFixture
{
    [Test]
    public async Task A_fast_writer_never_keeps_more_than_max_file_files_of_max_size()
    {
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done"] },
            new HostConfig { LogConfig = new LogConfig { Type = "json-file", Config = new() { ["max-size"] = "4k", ["max-file"] = "3" } } });
        Assert.That(run.ExitCode, Is.EqualTo(0));
        var logs = Directory.GetFiles(run.Container.Directory, "*-json.log*");
        Assert.That(logs.Select(Path.GetFileName), Is.EquivalentTo(new[] { $"{run.Container.Id}-json.log", $"{run.Container.Id}-json.log.1", $"{run.Container.Id}-json.log.2" }));
        foreach (string log in logs)
            Assert.That(new FileInfo(log).Length, Is.LessThan(4096 + 200), log);

        using var reader = new LogFileReader(run.Container.LogPath, tail: 2);
        Assert.That(reader.ReadAvailable().Select(e => System.Text.Encoding.UTF8.GetString(e.Line)), Is.EqualTo(new[] { "line 2998\n", "line 2999\n" }));
        Assert.That(run.Container.Record.HostConfig.LogConfig!.Config["max-file"], Is.EqualTo("3"), "inspect shows the options in effect");
    }

    [Test]
    public async Task The_local_driver_keeps_compact_records_within_its_rotation_limit()
    {
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo $((i%10)); i=$((i+1)); done"] },
            new HostConfig { LogConfig = new LogConfig { Type = "local", Config = new() { ["max-size"] = "8k", ["max-file"] = "2", ["compress"] = "false" } } });
        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Container.LogPath, Is.EqualTo(Path.Combine(run.Container.Directory, "local-logs", "container.log")));
        var files = Directory.GetFiles(Path.GetDirectoryName(run.Container.LogPath)!);
        Assert.That(files.Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "container.log", "container.log.1" }));
        Assert.That(new FileInfo(run.Container.LogPath + ".1").Length, Is.InRange(8192, 8192 + 12), "12 bytes per 2-byte line: json-file's would be 72");

        using var reader = new LogFileReader(run.Container.LogPath, tail: 3, driver: "local");
        Assert.That(reader.ReadAvailable().Select(e => System.Text.Encoding.UTF8.GetString(e.Line)), Is.EqualTo(new[] { "7\n", "8\n", "9\n" }));
        Assert.That(Directory.GetFiles(run.Container.Directory, "*-json.log*"), Is.Empty, "no json-file log beside it");
    }

    [Test]
    public async Task The_none_driver_keeps_no_log()
    {
        var run = await Engine.RunAsync(new ContainerConfig { Image = "busybox", Cmd = ["echo", "gone"] }, new HostConfig { LogConfig = new LogConfig { Type = "none" } });
        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(File.Exists(run.Container.LogPath), Is.False);
    }

    [Test]
    public void A_bad_log_config_is_refused_at_create()
    {
        Assert.That(() => Engine.Containers.Create(null, new ContainerConfig { Image = "busybox", Cmd = ["true"] },
                new HostConfig { LogConfig = new LogConfig { Type = "json-file", Config = new() { ["max-size"] = "huge" } } }),
            Throws.TypeOf<InvalidParameterException>().With.Message.Contains("invalid max-size"));
        Assert.That(Engine.Containers.List().Where(c => c.State.Status == ContainerStatus.Created && c.Record.Config.Cmd is ["true"]), Is.Empty);
    }
}
