using Berth.Engine.Rootfs;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Rootfs;

/// <summary>
/// Overlay mounts of many layers, both ways: fsconfig "lowerdir+" one layer at a time (Linux 6.8+), and the
/// mount(2) fallback for older kernels. Layer paths are as long as the store's (a 64-hex directory each).
/// </summary>
public sealed class OverlayRootfsTests
{
    private string _root = null!;

    [SetUp]
    public void CreateRoot()
    {
        RootRequirement.Check();
        _root = Path.Combine("/var/tmp", "berth-overlay-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveRoot()
    {
        if (_root is null || !Directory.Exists(_root))
            return;
        var mounts = MountTable.MountPointsUnder(_root);
        foreach (string mount in mounts)
            Berth.Interop.Sys.TryUnmount(mount, Berth.Interop.Libc.MNT_DETACH);
        Directory.Delete(_root, recursive: true);
        Assert.That(mounts, Is.Empty, "mounts left behind");
    }

    [TestCase(1, true)]
    [TestCase(40, true)]
    [TestCase(125, true)]
    [TestCase(500, true)]
    [TestCase(40, false)]
    [TestCase(125, false)]
    public void Mounts_every_layer_with_the_top_most_version_of_a_file(int count, bool layerByLayer)
    {
        if (layerByLayer && !OverlayLowerdirAppend.IsSupported)
            Assert.Ignore("this kernel's overlayfs has no fsconfig lowerdir+ (Linux 6.8)");
        var rootfs = CreateRootfs(count);
        rootfs.Mount(Layers(count), layerByLayer, forceLayerByLayer: layerByLayer);
        try
        {
            string merged = rootfs.MergedDirectory;
            Assert.That(File.ReadAllText(Path.Combine(merged, "top.txt")), Is.EqualTo($"layer {count - 1}"), "the top-most layer's version");
            Assert.That(File.Exists(Path.Combine(merged, "layer-0.txt")), Is.True, "a file of the bottom layer");
            Assert.That(File.Exists(Path.Combine(merged, $"layer-{count - 1}.txt")), Is.True, "a file of the top layer");
            Assert.That(Directory.GetFiles(merged, "layer-*.txt"), Has.Length.EqualTo(count));
            File.WriteAllText(Path.Combine(merged, "written.txt"), "upper");
            Assert.That(File.Exists(Path.Combine(rootfs.UpperDirectory, "written.txt")), Is.True, "writes go to the upper dir");
        }
        finally
        {
            Assert.That(rootfs.Unmount(), Is.True);
        }
    }

    [Test]
    public void Refuses_more_layers_than_overlayfs_stacks_with_a_clear_error()
    {
        var rootfs = CreateRootfs(OverlayRootfs.MaxLowerLayers + 1);
        Assert.That(() => rootfs.Mount(Layers(OverlayRootfs.MaxLowerLayers + 1)),
            Throws.InvalidOperationException.With.Message.EqualTo("the image has 501 layers: overlayfs stacks at most 500"));
        Assert.That(rootfs.IsMounted(), Is.False);
    }

    [Test]
    public void The_fallback_names_the_kernel_limit_when_even_short_names_do_not_fit()
    {
        var rootfs = CreateRootfs(400);
        Assert.That(() => rootfs.Mount(Layers(400), layerByLayer: false),
            Throws.InvalidOperationException.With.Message.Contains("more than the 4095 this kernel takes"));
        Assert.That(rootfs.IsMounted(), Is.False);
    }

    /// <summary>Layer i holds layer-i.txt and its own top.txt; upper, work and merged dirs beside them.</summary>
    private OverlayRootfs CreateRootfs(int count)
    {
        for (int i = 0; i < count; i++)
        {
            string diff = LayerPath(i);
            Directory.CreateDirectory(diff);
            File.WriteAllText(Path.Combine(diff, $"layer-{i}.txt"), "");
            File.WriteAllText(Path.Combine(diff, "top.txt"), $"layer {i}");
        }
        var rootfs = new OverlayRootfs(Path.Combine(_root, "containers", new string('c', 64)));
        rootfs.Create();
        return rootfs;
    }

    /// <summary>Top-most first, as overlayfs wants them.</summary>
    private List<string> Layers(int count) => Enumerable.Range(0, count).Reverse().Select(LayerPath).ToList();

    private string LayerPath(int index) => Path.Combine(_root, "layers", index.ToString("x64"), "diff");
}
