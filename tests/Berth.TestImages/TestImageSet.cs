namespace Berth.TestImages;

/// <summary>Paths of the built test images. See tests/fixtures/README.md for what each one holds.</summary>
/// <param name="BusyboxDockerArchive">`docker save` of Docker 25 and later: OCI layout plus manifest.json and repositories, uncompressed layer, tag busybox:latest.</param>
/// <param name="BusyboxLegacyArchive">`docker save` of Docker before 25: manifest.json, repositories, &lt;id&gt;/layer.tar, &lt;id&gt;/json, &lt;id&gt;/VERSION, &lt;config&gt;.json; tag busybox:legacy.</param>
/// <param name="BusyboxOciArchive">Pure OCI image layout as skopeo writes it, gzip layer, ref name "oci" (docker.io/library/busybox:oci).</param>
/// <param name="BusyboxZstdOciArchive">Pure OCI image layout with a zstd layer, ref name "zstd" (docker.io/library/busybox:zstd).</param>
/// <param name="LayeredDockerArchive">Two gzip layers with whiteouts, Docker 25 format, tag busybox-layers:latest.</param>
/// <param name="RootfsDirectory">The unpacked busybox rootfs the layers were made from. Read only.</param>
/// <param name="BusyboxDebPath">The busybox-static .deb the rootfs came from.</param>
public sealed record TestImageSet(
    string BusyboxDockerArchive,
    string BusyboxLegacyArchive,
    string BusyboxOciArchive,
    string BusyboxZstdOciArchive,
    string LayeredDockerArchive,
    string RootfsDirectory,
    string BusyboxDebPath)
{
    internal static TestImageSet In(string directory) => new(
        Path.Combine(directory, "busybox-docker.tar"),
        Path.Combine(directory, "busybox-legacy.tar"),
        Path.Combine(directory, "busybox-oci.tar"),
        Path.Combine(directory, "busybox-zstd-oci.tar"),
        Path.Combine(directory, "busybox-layers-docker.tar"),
        Path.Combine(directory, "rootfs"),
        Path.Combine(directory, "busybox-static.deb"));

    internal IEnumerable<string> Archives() =>
        [BusyboxDockerArchive, BusyboxLegacyArchive, BusyboxOciArchive, BusyboxZstdOciArchive, LayeredDockerArchive];
}
