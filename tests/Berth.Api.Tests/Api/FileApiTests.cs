using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>docker cp (HEAD, GET and PUT /archive), docker diff (/changes) and docker export over the socket.</summary>
public sealed class FileApiTests : DaemonFixture
{
    private static JsonElement DecodeStat(ApiResponse response) =>
        JsonDocument.Parse(Convert.FromBase64String(response.Headers["X-Docker-Container-Path-Stat"]!)).RootElement;

    private static List<(string Name, string Content)> ReadTar(byte[] tar)
    {
        var entries = new List<(string, string)>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            string content = "";
            if (entry.DataStream is { } data)
                content = new StreamReader(data).ReadToEnd();
            entries.Add((entry.Name, content));
        }
        return entries;
    }

    private static byte[] Tar(params (string Name, string Content)[] files)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    private Task<ApiResponse> PutAsync(string target, byte[] tar)
    {
        var request = new HttpClientRequest("PUT", target) { Content = tar };
        request.Headers.Set("Content-Type", "application/x-tar");
        return Api.SendAsync(request);
    }

    [Test]
    public async Task HeadGivesThePathStatInAHeader()
    {
        string id = await CreateAsync(UniqueName("stat"), "true");
        var head = await Api.SendAsync("HEAD", $"/v1.50/containers/{id}/archive?path=/etc/passwd");
        Assert.That(head.Status, Is.EqualTo(200), head.ToString());
        Assert.That(head.Body, Is.Empty);
        var stat = DecodeStat(head);
        Assert.That(stat.GetProperty("name").GetString(), Is.EqualTo("passwd"));
        Assert.That(stat.GetProperty("size").GetInt64(), Is.GreaterThan(0));
        Assert.That(stat.GetProperty("mode").GetUInt32() & 0x1FF, Is.EqualTo(0x1A4), "0644");
        Assert.That(DecodeStat(await Api.SendAsync("HEAD", $"/v1.50/containers/{id}/archive?path=/etc")).GetProperty("mode").GetUInt32() & 0x80000000, Is.Not.Zero, "Go's ModeDir");

        Assert.That((await Api.SendAsync("HEAD", $"/v1.50/containers/{id}/archive?path=/nope")).Status, Is.EqualTo(404));
        Assert.That((await Api.SendAsync("HEAD", $"/v1.50/containers/{id}/archive")).Status, Is.EqualTo(400));
        Assert.That((await Api.SendAsync("HEAD", "/v1.50/containers/nope/archive?path=/")).Status, Is.EqualTo(404));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task GetIsATarOfTheFileOrTree()
    {
        string id = await CreateAsync(UniqueName("get"), "true");
        var file = await Api.GetAsync($"/v1.50/containers/{id}/archive?path=/etc/passwd");
        Assert.That(file.Status, Is.EqualTo(200), file.ToString());
        Assert.That(file.Headers["Content-Type"], Is.EqualTo("application/x-tar"));
        Assert.That(DecodeStat(file).GetProperty("name").GetString(), Is.EqualTo("passwd"));
        var entries = ReadTar(file.Body);
        Assert.That(entries.Select(e => e.Name), Is.EqualTo(new[] { "passwd" }));
        Assert.That(entries[0].Content, Does.StartWith("root:x:0:0:"));

        var tree = ReadTar((await Api.GetAsync($"/v1.50/containers/{id}/archive?path=/etc")).Body);
        Assert.That(tree.Select(e => e.Name), Does.Contain("etc/").And.Contain("etc/passwd"));

        var missing = await Api.GetAsync($"/v1.50/containers/{id}/archive?path=/nope");
        Assert.That(missing.Status, Is.EqualTo(404));
        Assert.That(missing.Message, Is.EqualTo($"Could not find the file /nope in container {id}"));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task PutExtractsIntoADirectory()
    {
        string id = await CreateAsync(UniqueName("put"), "sleep", "1000");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
        var put = await PutAsync($"/v1.50/containers/{id}/archive?path=/tmp", Tar(("hello.txt", "hello\n"), ("sub/deeper.txt", "deeper\n")));
        Assert.That(put.Status, Is.EqualTo(200), put.ToString());
        var back = ReadTar((await Api.GetAsync($"/v1.50/containers/{id}/archive?path=/tmp/sub/deeper.txt")).Body);
        Assert.That(back.Single().Content, Is.EqualTo("deeper\n"));

        var intoFile = await PutAsync($"/v1.50/containers/{id}/archive?path=/etc/passwd", Tar(("x", "x")));
        Assert.That(intoFile.Status, Is.EqualTo(400), intoFile.ToString());
        var intoNothing = await PutAsync($"/v1.50/containers/{id}/archive?path=/nope", Tar(("x", "x")));
        Assert.That(intoNothing.Status, Is.EqualTo(404), intoNothing.ToString());
        var replaceDir = await PutAsync($"/v1.50/containers/{id}/archive?path=/&noOverwriteDirNonDir=1", Tar(("tmp", "not a directory")));
        Assert.That(replaceDir.Status, Is.EqualTo(400), "noOverwriteDirNonDir: a file does not replace a directory");
        var escape = await PutAsync($"/v1.50/containers/{id}/archive?path=/tmp", Tar(("../../../../etc/berth-escape-" + id[..8], "x")));
        Assert.That(escape.Status, Is.EqualTo(400), escape.ToString());
        Assert.That(File.Exists("/etc/berth-escape-" + id[..8]), Is.False);
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }

    [Test]
    public async Task ChangesAreNullUntilSomethingChanges()
    {
        string id = await CreateAsync(UniqueName("diff"), "sh", "-c", "touch /new; rm /etc/group");
        var none = await Api.GetAsync($"/v1.50/containers/{id}/changes");
        Assert.That(none.Status, Is.EqualTo(200));
        Assert.That(none.Text, Is.EqualTo("null"), "moby sends its empty slice as null");

        await Api.PostAsync($"/v1.50/containers/{id}/start");
        await Api.PostAsync($"/v1.50/containers/{id}/wait");
        var changes = (await Api.GetAsync($"/v1.50/containers/{id}/changes")).Json.EnumerateArray()
            .Select(c => (c.GetProperty("Path").GetString(), c.GetProperty("Kind").GetInt32())).ToList();
        Assert.That(changes, Does.Contain(("/new", 1)).And.Contain(("/etc/group", 2)).And.Contain(("/etc", 0)));
        Assert.That((await Api.GetAsync("/v1.50/containers/nope/changes")).Status, Is.EqualTo(404));

        var export = await Api.GetAsync($"/v1.50/containers/{id}/export");
        Assert.That(export.Status, Is.EqualTo(200));
        Assert.That(export.Headers["Content-Type"], Is.EqualTo("application/x-tar"));
        var names = ReadTar(export.Body).Select(e => e.Name).ToList();
        Assert.That(names, Does.Contain("new").And.Contain("etc/passwd"));
        Assert.That(names, Does.Not.Contain("etc/group"));
        Assert.That((await Api.GetAsync("/v1.50/containers/nope/export")).Status, Is.EqualTo(404));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }
}
