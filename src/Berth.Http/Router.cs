using System.Text.RegularExpressions;

namespace Berth.Http;

/// <summary>
/// Maps (method, path template) to handlers, the way Docker's API router does: a <c>/v1.NN</c> prefix is
/// accepted and stripped (the version goes to <see cref="HttpContext.ApiVersion"/>), unversioned paths work
/// too. Unknown paths, and known paths with another method, get 404 <c>{"message":"page not found"}</c> as from dockerd.
/// HEAD falls back to the GET handler when no HEAD handler exists (the response carries no body either way).
/// Pass <see cref="HandleAsync"/> to <see cref="HttpServer"/>.
/// </summary>
public sealed partial class Router
{
    private readonly List<Route> _routes = new();

    private sealed record Route(string Method, RouteTemplate Template, HttpHandler Handler);

    public Router Map(string method, string template, HttpHandler handler)
    {
        _routes.Add(new Route(method, RouteTemplate.Parse(template), handler));
        return this;
    }

    public Router MapGet(string template, HttpHandler handler) => Map("GET", template, handler);

    public Router MapHead(string template, HttpHandler handler) => Map("HEAD", template, handler);

    public Router MapPost(string template, HttpHandler handler) => Map("POST", template, handler);

    public Router MapPut(string template, HttpHandler handler) => Map("PUT", template, handler);

    public Router MapDelete(string template, HttpHandler handler) => Map("DELETE", template, handler);

    public Task HandleAsync(HttpContext context)
    {
        var segments = SplitPath(context.Request.RawPath, out var version);
        context.ApiVersion = version;
        var matches = _routes
            .Select(route => (Route: route, Values: route.Template.Match(segments)))
            .Where(m => m.Values is not null)
            .OrderByDescending(m => m.Route.Template.LiteralCount)
            .ToList();
        if (matches.Count == 0)
            return context.Response.SendErrorAsync(404, "page not found", context.RequestAborted);
        string method = context.Request.Method;
        var chosen = matches.FirstOrDefault(m => m.Route.Method == method);
        if (chosen.Route is null && method == "HEAD")
            chosen = matches.FirstOrDefault(m => m.Route.Method == "GET");
        // dockerd answers a known path with another method as an unknown one (moby api/server: its mux's
        // MethodNotAllowedHandler is the NotFoundHandler).
        if (chosen.Route is null)
            return context.Response.SendErrorAsync(404, "page not found", context.RequestAborted);
        context.RouteValues = chosen.Values!;
        return chosen.Route.Handler(context);
    }

    /// <summary>The raw path's segments, without a leading <c>v1.NN</c> segment, whose version comes out separately.</summary>
    private static List<string> SplitPath(string rawPath, out Version? version)
    {
        var segments = rawPath[1..].Split('/').ToList();
        version = null;
        var match = VersionSegment().Match(segments[0]);
        if (segments.Count > 1 && match.Success)
        {
            int major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            int minor = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            version = new Version(major, minor);
            segments.RemoveAt(0);
        }
        return segments;
    }

    [GeneratedRegex(@"^v([0-9]{1,4})(?:\.([0-9]{1,4}))?$")]
    private static partial Regex VersionSegment();
}
