using System.Diagnostics;
using Berth.Common;
using Berth.Engine.Images;
using Berth.TestImages;

namespace Berth.Registry.Tests;

/// <summary>htpasswd Basic auth and TLS with a CA the test generates, against the real registry.</summary>
[TestFixture]
public sealed class AuthTests
{
    private string _work = null!;
    private TestImageSet _images = null!;

    [OneTimeSetUp]
    public void CreateFiles()
    {
        _images = TestImages.TestImages.Ensure();
        _work = Directory.CreateTempSubdirectory("berth-registry-auth-").FullName;
    }

    [OneTimeTearDown]
    public void DeleteFiles() => Directory.Delete(_work, true);

    [Test]
    public async Task BasicAuth_RefusesAnonymousAndWrongPasswords_AndAcceptsTheRightOne()
    {
        string htpasswd = Path.Combine(_work, "htpasswd");
        File.WriteAllText(htpasswd, Run("htpasswd", "-Bbn", "tester", "s3cret"));
        using var registry = RegistryServer.Start(htpasswd: htpasswd);
        registry.Seed($"oci-archive:{_images.BusyboxOciArchive}:oci", "auth/bb:v1", credentials: "tester:s3cret");
        using var service = new RegistryService(new RegistryOptions());
        string root = Directory.CreateTempSubdirectory("berth-registry-store-").FullName;
        try
        {
            var puller = new ImagePuller(service, new ImageStore(root));
            var reference = ImageReference.Parse($"{registry.Host}/auth/bb:v1");
            var anonymous = Assert.ThrowsAsync<RegistryException>(() => puller.PullAsync(reference, null, null, new ProgressLog(), CancellationToken.None));
            Assert.That(anonymous!.Kind, Is.EqualTo(RegistryErrorKind.Unauthorized));
            Assert.That(anonymous.Message, Does.Contain("no basic auth credentials"));
            var wrong = Assert.ThrowsAsync<RegistryException>(() => puller.PullAsync(reference, new RegistryCredentials("tester", "nope"), null, new ProgressLog(), CancellationToken.None));
            Assert.That(wrong!.Kind, Is.EqualTo(RegistryErrorKind.Unauthorized));

            var login = Assert.ThrowsAsync<RegistryException>(() => service.LoginAsync(registry.Host, new RegistryCredentials("tester", "nope"), CancellationToken.None));
            Assert.That(login!.Message, Is.EqualTo($"login attempt to http://{registry.Host}/v2/ failed with status: 401 Unauthorized"));
            await service.LoginAsync($"http://{registry.Host}/", new RegistryCredentials("tester", "s3cret"), CancellationToken.None);

            var pulled = await puller.PullAsync(reference, new RegistryCredentials("tester", "s3cret"), null, new ProgressLog(), CancellationToken.None);
            Assert.That(pulled.Image.DiffIds, Has.Count.EqualTo(1));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Test]
    public async Task Tls_IsVerifiedAgainstTheRegistrysOwnCa()
    {
        string ca = Path.Combine(_work, "ca");
        Directory.CreateDirectory(ca);
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=berth test CA",
            "-keyout", Path.Combine(ca, "ca.key"), "-out", Path.Combine(ca, "ca.crt"));
        Run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", Path.Combine(ca, "server.key"), "-out", Path.Combine(ca, "server.csr"));
        File.WriteAllText(Path.Combine(ca, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
        Run("openssl", "x509", "-req", "-in", Path.Combine(ca, "server.csr"), "-CA", Path.Combine(ca, "ca.crt"), "-CAkey", Path.Combine(ca, "ca.key"),
            "-CAcreateserial", "-days", "1", "-extfile", Path.Combine(ca, "san.ext"), "-out", Path.Combine(ca, "server.crt"));
        using var registry = RegistryServer.Start(tls: (Path.Combine(ca, "server.crt"), Path.Combine(ca, "server.key")));
        registry.Seed($"oci-archive:{_images.BusyboxOciArchive}:oci", "tls/bb:v1");
        var reference = ImageReference.Parse($"{registry.Host}/tls/bb:v1");
        string certs = Path.Combine(_work, "certs.d");
        string root = Directory.CreateTempSubdirectory("berth-registry-store-").FullName;
        try
        {
            using (var untrusted = new RegistryService(new RegistryOptions { LoopbackIsInsecure = false, CertsDirectory = certs, MaxAttempts = 1 }))
            {
                var e = Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(untrusted, new ImageStore(root)).PullAsync(reference, null, null, new ProgressLog(), CancellationToken.None));
                Assert.That(e!.Kind, Is.EqualTo(RegistryErrorKind.Unavailable), "no CA: the certificate is refused");
            }
            Directory.CreateDirectory(Path.Combine(certs, registry.Host));
            File.Copy(Path.Combine(ca, "ca.crt"), Path.Combine(certs, registry.Host, "ca.crt"));
            using var trusted = new RegistryService(new RegistryOptions { LoopbackIsInsecure = false, CertsDirectory = certs });
            var pulled = await new ImagePuller(trusted, new ImageStore(root)).PullAsync(reference, null, null, new ProgressLog(), CancellationToken.None);
            Assert.That(pulled.Image.DiffIds, Has.Count.EqualTo(1));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    private static string Run(string program, params string[] args)
    {
        var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', args)}: {stderr}");
        return stdout.Result;
    }
}
