namespace Berth.TestImages;

/// <summary>
/// busybox-layers:latest. Lower layer: the busybox rootfs plus files the upper layer changes. Upper layer: a
/// whiteout, an opaque directory whose marker comes AFTER a new file in it, a replaced file and an added file.
/// </summary>
internal static class LayeredImage
{
    public static ImageDefinition Definition(IEnumerable<LayerEntry> rootfs)
    {
        LayerEntry[] lowerExtras =
        [
            LayerEntry.File("etc/motd", "lower motd\n"),
            LayerEntry.File("data/keep.txt", "keep\n"),
            LayerEntry.File("data/gone.txt", "gone\n"),
            LayerEntry.Directory("opaque"),
            LayerEntry.File("opaque/a.txt", "a\n"),
            LayerEntry.Directory("opaque/sub"),
            LayerEntry.File("opaque/sub/b.txt", "b\n"),
        ];
        var lower = LayerTar.Write(LayerTar.Sorted(rootfs.Concat(lowerExtras)));
        return new ImageDefinition(
            [(lower, "ADD busybox rootfs and lower files / # berth test image"), (LayerTar.Write(UpperEntries()), "RUN change lower files # berth test image")],
            ["WORKDIR /data", "CMD [\"sh\"]"],
            [TestImages.PathEnv, "BERTH_LAYERED=1"],
            "busybox-layers",
            "/data",
            ["8080/tcp"]);
    }

    /// <summary>The upper layer's entries in tar order; tests check this order.</summary>
    public static LayerEntry[] UpperEntries() =>
    [
        LayerEntry.Directory("data"),
        LayerEntry.File("data/.wh.gone.txt", ""),
        LayerEntry.File("data/added.txt", "added\n"),
        LayerEntry.Directory("etc"),
        LayerEntry.File("etc/motd", "upper motd\n"),
        LayerEntry.Directory("opaque"),
        LayerEntry.File("opaque/new.txt", "new\n"),
        LayerEntry.File("opaque/.wh..wh..opq", ""),
    ];
}
