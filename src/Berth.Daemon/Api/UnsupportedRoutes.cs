using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// Docker endpoints Berth does not serve: 501 with a sentence naming the feature, so a client learns what is
/// missing instead of dockerd's "page not found" for a path it knows exists. Paths that exist nowhere keep the
/// router's 404 {"message":"page not found"}, as dockerd answers.
/// </summary>
public sealed class UnsupportedRoutes
{
    private static readonly (string Prefix, string Feature)[] Features =
    [
        ("swarm", "Swarm mode"),
        ("nodes", "Swarm mode (nodes)"),
        ("services", "Swarm mode (services)"),
        ("tasks", "Swarm mode (tasks)"),
        ("secrets", "Swarm mode (secrets)"),
        ("configs", "Swarm mode (configs)"),
        ("plugins", "Engine plugins"),
        ("session", "BuildKit sessions (docker build)"),
        ("grpc", "BuildKit (docker buildx)"),
        ("distribution", "Registry distribution inspection"),
    ];

    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE"];

    public void Map(Router router)
    {
        foreach (var (prefix, feature) in Features)
        {
            string message = $"{feature} is not supported by Berth";
            HttpHandler handler = context => context.Response.SendErrorAsync(501, message, context.RequestAborted);
            foreach (string method in Methods)
            {
                router.Map(method, "/" + prefix, handler);
                router.Map(method, "/" + prefix + "/{rest*}", handler);
            }
        }
    }
}
