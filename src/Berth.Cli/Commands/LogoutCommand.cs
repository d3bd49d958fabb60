using System.CommandLine;
using Berth.Cli.CommandLine;
using Berth.Cli.Registry;

namespace Berth.Cli.Commands;

/// <summary><c>berth logout [SERVER]</c>: forgets the stored credentials, as docker does ("Removing login credentials for …").</summary>
public sealed class LogoutCommand : Verb
{
    public LogoutCommand() : base("logout", "logout [SERVER]", "Log out from a registry", ArgsRule.AtMost(1))
    {
    }

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string domain = LoginCommand.DomainOf(Positionals(parse) is [var s] ? s : "docker.io");
        string key = CredentialStore.KeyFor(domain);
        if (!CredentialStore.FromEnvironment(context.Environment).Remove(domain))
            await context.Console.Out.WriteLineAsync($"Not logged in to {key}");
        else
            await context.Console.Out.WriteLineAsync($"Removing login credentials for {key}");
        return 0;
    }
}
