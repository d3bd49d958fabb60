using Berth.Engine.Rootfs;
using NUnit.Framework;

namespace Berth.Engine.Tests.Rootfs;

public sealed class UserResolverTests
{
    private string _root = null!;

    [SetUp]
    public void CreateRootfs()
    {
        _root = Path.Combine(Path.GetTempPath(), $"berth-users-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.WriteAllText(Path.Combine(_root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n# comment\napp:x:1000:1001:App:/home/app:/bin/sh\nnohome:x:1002:1002::::\n");
        File.WriteAllText(Path.Combine(_root, "etc/group"), "root:x:0:\napp:x:1001:\nusers:x:100:app,other\nwheel:x:10:app\nextra:x:2000:\n");
    }

    [TearDown]
    public void DeleteRootfs() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Empty_means_root() =>
        Assert.That(UserResolver.Resolve(_root, ""), Is.EqualTo(new ResolvedUser(0, 0, [], "/root")).Using<ResolvedUser>(Same));

    [Test]
    public void A_name_resolves_ids_home_and_supplementary_groups()
    {
        var user = UserResolver.Resolve(_root, "app");
        Assert.That((user.Uid, user.Gid, user.Home), Is.EqualTo((1000u, 1001u, "/home/app")));
        Assert.That(user.AdditionalGids, Is.EquivalentTo(new[] { 100u, 10u }));
    }

    [Test]
    public void Uid_and_group_forms()
    {
        Assert.That(UserResolver.Resolve(_root, "1000").Gid, Is.EqualTo(1001u));
        Assert.That(UserResolver.Resolve(_root, "app:extra").Gid, Is.EqualTo(2000u));
        Assert.That(UserResolver.Resolve(_root, "app:55").Gid, Is.EqualTo(55u));
        var unknownUid = UserResolver.Resolve(_root, "4242:4343");
        Assert.That((unknownUid.Uid, unknownUid.Gid, unknownUid.Home), Is.EqualTo((4242u, 4343u, "/")));
        Assert.That(UserResolver.Resolve(_root, "nohome").Home, Is.EqualTo("/"));
    }

    [Test]
    public void Unknown_names_are_errors()
    {
        Assert.That(() => UserResolver.Resolve(_root, "ghost"), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("unable to find user ghost: no matching entries in passwd file"));
        Assert.That(() => UserResolver.Resolve(_root, "app:ghosts"), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("unable to find group ghosts: no matching entries in group file"));
    }

    [Test]
    public void A_symlinked_passwd_is_resolved_inside_the_root_never_on_the_host()
    {
        File.Delete(Path.Combine(_root, "etc/passwd"));
        // On the host this would read the real /etc/passwd; inside the root it points at the image's own file.
        File.CreateSymbolicLink(Path.Combine(_root, "etc/passwd"), "/../../../../etc/users-in-image");
        File.WriteAllText(Path.Combine(_root, "etc/users-in-image"), "only:x:7:7::/only:/bin/sh\n");
        Assert.That(UserResolver.Resolve(_root, "only").Uid, Is.EqualTo(7u));
        Assert.That(() => UserResolver.Resolve(_root, "root"), Throws.TypeOf<InvalidParameterException>());
    }

    [Test]
    public void Missing_files_allow_numeric_users_only()
    {
        File.Delete(Path.Combine(_root, "etc/passwd"));
        Assert.That(UserResolver.Resolve(_root, "0").Uid, Is.EqualTo(0u));
        Assert.That(() => UserResolver.Resolve(_root, "app"), Throws.TypeOf<InvalidParameterException>());
    }

    private static bool Same(ResolvedUser a, ResolvedUser b) =>
        a.Uid == b.Uid && a.Gid == b.Gid && a.Home == b.Home && a.AdditionalGids.SequenceEqual(b.AdditionalGids);
}
