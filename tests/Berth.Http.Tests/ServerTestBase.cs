using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

/// <summary>A server on a socket in a fresh temp directory, stopped and removed after every test.</summary>
public abstract class ServerTestBase
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private DirectoryInfo _directory = null!;
    private readonly List<IAsyncDisposable> _disposables = new();

    protected string SocketPath { get; private set; } = "";

    protected Router Router { get; private set; } = null!;

    protected HttpServer Server { get; private set; } = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("berth-http-");
        SocketPath = Path.Combine(_directory.FullName, "run", "berth.sock");
        Router = new Router();
    }

    [TearDown]
    public async Task StopServer()
    {
        foreach (var disposable in _disposables)
            await disposable.DisposeAsync();
        if (Server is not null)
            await Server.StopAsync().WaitAsync(Timeout);
        _directory.Delete(recursive: true);
    }

    protected HttpServer StartServer(Func<HttpServerOptions, HttpServerOptions>? configure = null)
    {
        var options = new HttpServerOptions { EndPoint = new System.Net.Sockets.UnixDomainSocketEndPoint(SocketPath) };
        Server = new HttpServer(configure?.Invoke(options) ?? options, Router.HandleAsync);
        Server.Start();
        return Server;
    }

    protected UnixHttpClient NewClient()
    {
        var client = new UnixHttpClient(SocketPath);
        _disposables.Add(client);
        return client;
    }

    protected RawConnection Connect()
    {
        var connection = RawConnection.Open(SocketPath);
        _disposables.Add(connection);
        return connection;
    }

    protected static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
