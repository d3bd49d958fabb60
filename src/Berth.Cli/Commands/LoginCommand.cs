using System.CommandLine;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Registry;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth login [-u USER] [-p PASS | --password-stdin] [SERVER]</c>: POST /auth (the daemon checks the credentials
/// against the registry), then stores them in config.json and prints "Login Succeeded". Docker Hub is the default server.
/// </summary>
public sealed class LoginCommand : Verb
{
    private readonly Option<string> _username = Flags.String("--username", "-u", "Username");
    private readonly Option<string> _password = Flags.String("--password", "-p", "Password or Personal Access Token (PAT)");
    private readonly Option<bool> _passwordStdin = Flags.Bool("--password-stdin", null, "Take the Password or Personal Access Token (PAT) from stdin");

    public LoginCommand() : base("login", "login [OPTIONS] [SERVER]", "Authenticate to a registry", ArgsRule.AtMost(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_username);
        command.Options.Add(_password);
        command.Options.Add(_passwordStdin);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        string server = Positionals(parse) is [var s] ? s : "docker.io";
        string domain = DomainOf(server);
        string? username = parse.GetValue(_username);
        string? password = parse.GetValue(_password);
        if (parse.GetValue(_passwordStdin))
        {
            if (password is not null)
                throw new CliException(1, "--password and --password-stdin are mutually exclusive");
            if (string.IsNullOrEmpty(username))
                throw new CliException(1, "Must provide --username with --password-stdin");
            using var reader = new StreamReader(console.StdinStream);
            password = (await reader.ReadToEndAsync(cancellationToken)).TrimEnd('\r', '\n');
        }
        else if (password is not null)
        {
            await console.Err.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        var store = CredentialStore.FromEnvironment(context.Environment);
        if (string.IsNullOrEmpty(username) || password is null)
        {
            var stored = store.Get(domain);
            if (stored?.Username is null || (username is not null && username != stored.Username))
                throw new CliException(1, "Error: Cannot perform an interactive login from a non TTY device; use -u and -p or --password-stdin");
            username = stored.Username;
            password = stored.Password;
        }
        var client = await context.ConnectAsync(cancellationToken);
        var body = new AuthConfig { Username = username, Password = password, ServerAddress = CredentialStore.KeyFor(domain) };
        var request = HttpClientRequest.Json("POST", client.Versioned("/auth"), body, ApiJsonContext.Default.AuthConfig);
        var answer = await client.SendJsonAsync(request, ApiJsonContext.Default.AuthResponse, cancellationToken);
        store.Save(domain, username, password ?? "");
        await console.Out.WriteLineAsync(answer.Status is { Length: > 0 } status ? status : "Login Succeeded");
        return 0;
    }

    /// <summary><c>https://index.docker.io/v1/</c> or <c>docker.io</c> → docker.io; <c>http://host:5000/</c> → host:5000.</summary>
    internal static string DomainOf(string server)
    {
        string host = Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.Authority : server.TrimEnd('/');
        return host is "" or "index.docker.io" or "registry-1.docker.io" ? "docker.io" : host;
    }
}
