using System.Text;
using Berth.Engine.Archive;
using NUnit.Framework;

namespace Berth.Engine.Tests.Archive;

/// <summary>The X-Docker-Container-Path-Stat header: Go's os.FileMode bits and the JSON of moby's container.PathStat.</summary>
public sealed class PathStatTests
{
    [TestCase(0x81A4u, 0x1A4u)]                     // -rw-r--r--
    [TestCase(0x41EDu, 0x800001EDu)]                // drwxr-xr-x: ModeDir
    [TestCase(0xA1FFu, 0x080001FFu)]                // lrwxrwxrwx: ModeSymlink
    [TestCase(0x21B6u, 0x042001B6u)]                // crw-rw-rw-: ModeDevice|ModeCharDevice
    [TestCase(0x61B0u, 0x040001B0u)]                // brw-rw----: ModeDevice
    [TestCase(0x11A4u, 0x020001A4u)]                // fifo: ModeNamedPipe
    [TestCase(0xC1EDu, 0x010001EDu)]                // socket: ModeSocket
    [TestCase(0x89EDu, 0x008001EDu)]                // -rwsr-xr-x: ModeSetuid
    [TestCase(0x85EDu, 0x004001EDu)]                // -rwxr-sr-x: ModeSetgid
    [TestCase(0x43FFu, 0x801001FFu)]                // drwxrwxrwt: ModeDir|ModeSticky
    public void Unix_modes_become_go_file_modes(uint unix, uint go) => Assert.That(GoFileMode.FromUnix(unix), Is.EqualTo(go));

    [Test]
    public void The_header_is_base64_of_gos_json()
    {
        var stat = new PathStat("passwd", 42, 0x1A4, new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234500), "");
        Assert.That(Encoding.UTF8.GetString(stat.ToJson()),
            Is.EqualTo("{\"name\":\"passwd\",\"size\":42,\"mode\":420,\"mtime\":\"2024-05-06T07:08:09.12345Z\",\"linkTarget\":\"\"}"));
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(stat.ToHeaderValue())), Is.EqualTo(Encoding.UTF8.GetString(stat.ToJson())));
        var whole = stat with { Mtime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), Mode = GoFileMode.Dir | 0x1ED };
        Assert.That(Encoding.UTF8.GetString(whole.ToJson()), Does.Contain("\"mtime\":\"2024-05-06T07:08:09Z\"").And.Contain("\"mode\":2147484141"));
        Assert.That(whole.IsDirectory, Is.True);
    }
}
