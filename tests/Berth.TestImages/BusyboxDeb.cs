namespace Berth.TestImages;

/// <summary>Gets Debian's busybox-static package: the cached copy, else `apt-get download`, else apt's own cache.</summary>
internal static class BusyboxDeb
{
    const string Package = "busybox-static";

    public static void Ensure(string debPath)
    {
        if (File.Exists(debPath) && IsReadable(debPath))
            return;
        File.Delete(debPath);
        var work = Path.Combine(Path.GetDirectoryName(debPath)!, ".download");
        try
        {
            var downloaded = Download(work) ?? FromAptCache()
                ?? throw new InvalidOperationException(
                    $"cannot get {Package}: `apt-get download {Package}` failed, also after `apt-get update`, and /var/cache/apt/archives has none");
            File.Copy(downloaded, debPath + ".tmp", overwrite: true);
            File.Move(debPath + ".tmp", debPath, overwrite: true);
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }

    static bool IsReadable(string debPath) =>
        Command.Run("dpkg-deb", null, "--field", debPath, "Package").Output.Trim() == Package;

    static string? Download(string work)
    {
        if (Directory.Exists(work))
            Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        if (Command.Run("apt-get", work, "download", Package).ExitCode != 0)
        {
            Command.Run("apt-get", null, "update");
            Command.Run("apt-get", work, "download", Package);
        }
        return Directory.GetFiles(work, Package + "_*.deb").SingleOrDefault();
    }

    static string? FromAptCache()
    {
        const string aptCache = "/var/cache/apt/archives";
        if (!Directory.Exists(aptCache))
            return null;
        return Directory.GetFiles(aptCache, Package + "_*.deb").Order(StringComparer.Ordinal).LastOrDefault();
    }
}
