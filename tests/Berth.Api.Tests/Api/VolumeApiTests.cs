using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>/volumes and the volume side of create, against the real berthd.</summary>
public sealed class VolumeApiTests : DaemonFixture
{
    [Test]
    public async Task Create_inspect_list_with_filters_and_remove()
    {
        var created = await Api.PostAsync("/volumes/create", """{"Name":"api-vol","Driver":"local","DriverOpts":{},"Labels":{"team":"a"}}""");
        Assert.That(created.Status, Is.EqualTo(201), created.Text);
        Assert.That(created.Json.GetProperty("Mountpoint").GetString(), Does.EndWith("/volumes/api-vol/_data"));
        Assert.That(created.Json.GetProperty("Scope").GetString(), Is.EqualTo("local"));
        Assert.That(created.Json.GetProperty("CreatedAt").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        await Api.PostAsync("/volumes/create", """{"Name":"other-vol"}""");

        var inspect = await Api.GetAsync("/volumes/api-vol");
        Assert.That(inspect.Json.GetProperty("Labels").GetProperty("team").GetString(), Is.EqualTo("a"));
        Assert.That(await Names("""{"label":{"team=a":true}}"""), Is.EqualTo(new[] { "api-vol" }));
        Assert.That(await Names("""{"name":{"other":true}}"""), Is.EqualTo(new[] { "other-vol" }));
        Assert.That(await Names("""{"dangling":{"true":true},"driver":{"local":true}}"""), Is.EquivalentTo(new[] { "api-vol", "other-vol" }));
        var badFilter = await Api.GetAsync("/volumes?filters=" + Uri.EscapeDataString("""{"colour":{"red":true}}"""));
        Assert.That((badFilter.Status, badFilter.Message), Is.EqualTo((400, "invalid filter 'colour'")));

        Assert.That((await Api.DeleteAsync("/volumes/api-vol")).Status, Is.EqualTo(204));
        Assert.That((await Api.DeleteAsync("/volumes/other-vol")).Status, Is.EqualTo(204));
        var missing = await Api.GetAsync("/volumes/api-vol");
        Assert.That((missing.Status, missing.Message), Is.EqualTo((404, "get api-vol: no such volume")));
        Assert.That((await Api.DeleteAsync("/volumes/api-vol?force=1")).Status, Is.EqualTo(204), "force ignores a missing volume");
    }

    [Test]
    public async Task A_volume_in_use_is_409_and_prune_takes_only_unused_anonymous_volumes_unless_all()
    {
        string id = await Api.CreateAsync(null, """{"Image":"busybox","Cmd":["true"],"Volumes":{"/anon":{}},"HostConfig":{"Binds":["used-vol:/u"]}}""");
        var inspect = (await Api.GetAsync($"/containers/{id}/json")).Json;
        var mounts = inspect.GetProperty("Mounts").EnumerateArray().ToList();
        Assert.That(mounts.Select(m => m.GetProperty("Destination").GetString()), Is.EquivalentTo(new[] { "/u", "/anon" }));
        string anonymous = mounts.Single(m => m.GetProperty("Destination").GetString() == "/anon").GetProperty("Name").GetString()!;

        var inUse = await Api.DeleteAsync("/volumes/used-vol");
        Assert.That(inUse.Status, Is.EqualTo(409));
        Assert.That(inUse.Message, Is.EqualTo($"remove used-vol: volume is in use - [{id}]"));
        var df = (await Api.GetAsync("/system/df?type=volume")).Json.GetProperty("Volumes").EnumerateArray()
            .Single(v => v.GetProperty("Name").GetString() == "used-vol").GetProperty("UsageData");
        Assert.That((df.GetProperty("Size").GetInt64(), df.GetProperty("RefCount").GetInt64()), Is.EqualTo((0L, 1L)), "system df: empty, one container");
        await Api.PostAsync("/volumes/create", """{"Name":"idle-named"}""");
        var idleAnonymous = (await Api.PostAsync("/volumes/create", "{}")).Json.GetProperty("Name").GetString();

        var pruned = (await Api.PostAsync("/volumes/prune")).Json;
        Assert.That(pruned.GetProperty("VolumesDeleted").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { idleAnonymous }));
        var all = (await Api.PostAsync("/volumes/prune?filters=" + Uri.EscapeDataString("""{"all":{"true":true}}"""))).Json;
        Assert.That(all.GetProperty("VolumesDeleted").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "idle-named" }));

        Assert.That((await Api.DeleteAsync($"/containers/{id}?v=1")).Status, Is.EqualTo(204));
        Assert.That((await Api.GetAsync("/volumes/" + anonymous)).Status, Is.EqualTo(404), "rm -v removed the anonymous volume");
        Assert.That((await Api.DeleteAsync("/volumes/used-vol")).Status, Is.EqualTo(204), "the named one stayed, and is free now");
    }

    [TestCase("""{"Name":"a/b"}""", 400, "create a/b: \"a/b\" includes invalid characters for a local volume name")]
    [TestCase("""{"Name":"..","Driver":"local"}""", 400, "includes invalid characters")]
    [TestCase("""{"Name":"v9","Driver":"convoy"}""", 404, "error looking up volume plugin convoy: plugin \"convoy\" not found")]
    [TestCase("""{"Name":"v9","DriverOpts":{"colour":"red"}}""", 400, "create v9: invalid option: \"colour\"")]
    public async Task Bad_volumes_are_refused_and_nothing_is_created(string body, int status, string message)
    {
        var response = await Api.PostAsync("/volumes/create", body);
        Assert.That(response.Status, Is.EqualTo(status), response.Text);
        Assert.That(response.Message, Does.Contain(message));
        Assert.That(await Names(null), Is.Empty);
    }

    [TestCase("""{"Binds":["a/b:/x"]}""", "includes invalid characters for a local volume name")]
    [TestCase("""{"Mounts":[{"Type":"volume","Target":"/x","Source":"v","BindOptions":{"Propagation":"shared"}}]}""", "field BindOptions must not be specified")]
    [TestCase("""{"Mounts":[{"Type":"tmpfs","Target":"/x","Source":"nope"}]}""", "field Source must not be specified")]
    [TestCase("""{"Mounts":[{"Type":"image","Target":"/x","Source":"busybox"}]}""", "not supported by Berth")]
    [TestCase("""{"Tmpfs":{"/t":"size=huge"}}""", "is not a size")]
    [TestCase("""{"LogConfig":{"Type":"json-file","Config":{"max-file":"3"}}}""", "max-file cannot be set when max-size is not set")]
    [TestCase("""{"LogConfig":{"Type":"gelf2","Config":{}}}""", "logger: no log driver named 'gelf2' is registered")]
    public async Task Bad_mounts_and_log_configs_are_400_and_create_nothing(string hostConfig, string message)
    {
        var response = await Api.PostAsync("/containers/create", $$"""{"Image":"busybox","Cmd":["true"],"HostConfig":{{hostConfig}}}""");
        Assert.That(response.Status, Is.EqualTo(400), response.Text);
        Assert.That(response.Message, Does.Contain(message));
        Assert.That(await Names(null), Is.Empty);
        Assert.That((await Api.GetAsync("/containers/json?all=1")).Json.GetArrayLength(), Is.EqualTo(0));
    }

    private async Task<List<string?>> Names(string? filters)
    {
        var response = await Api.GetAsync("/volumes" + (filters is null ? "" : "?filters=" + Uri.EscapeDataString(filters)));
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        return response.Json.GetProperty("Volumes").EnumerateArray().Select(v => v.GetProperty("Name").GetString()).ToList();
    }
}
