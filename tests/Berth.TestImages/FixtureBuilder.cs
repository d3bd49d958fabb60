namespace Berth.TestImages;

/// <summary>Builds the rootfs and every archive of a <see cref="TestImageSet"/> from its .deb, which must exist.</summary>
internal static class FixtureBuilder
{
    public static void Build(TestImageSet set)
    {
        BusyboxRootfs.Create(set.RootfsDirectory, set.BusyboxDebPath);
        var rootfs = LayerTar.Scan(set.RootfsDirectory);
        var busybox = new ImageDefinition(
            [(LayerTar.Write(LayerTar.Sorted(rootfs)), "ADD busybox rootfs / # berth test image")],
            ["CMD [\"sh\"]"],
            [TestImages.PathEnv],
            "busybox",
            "",
            []);
        var plain = BuiltImage.Build(busybox, LayerCompression.None);
        DockerArchive.Write(set.BusyboxDockerArchive, plain, "busybox", "latest");
        LegacyArchive.Write(set.BusyboxLegacyArchive, plain, "busybox", "legacy");
        OciArchive.Write(set.BusyboxOciArchive, BuiltImage.Build(busybox, LayerCompression.Gzip), "docker.io/library/busybox:oci", "oci");
        OciArchive.Write(set.BusyboxZstdOciArchive, BuiltImage.Build(busybox, LayerCompression.Zstd), "docker.io/library/busybox:zstd", "zstd");
        var layered = BuiltImage.Build(LayeredImage.Definition(rootfs), LayerCompression.Gzip);
        DockerArchive.Write(set.LayeredDockerArchive, layered, "busybox-layers", "latest");
    }

    /// <summary>The sha256 of the rootfs as a layer tar: it changes if anyone touched the rootfs.</summary>
    public static string RootfsDigest(TestImageSet set) => Sha256Hex.Of(LayerTar.Write(LayerTar.Sorted(LayerTar.Scan(set.RootfsDirectory))));
}
