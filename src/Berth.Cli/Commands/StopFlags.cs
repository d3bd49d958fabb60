using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// The flags <c>stop</c> and <c>restart</c> share, as docker's: <c>-s SIG</c>, <c>-t N</c> and its deprecated
/// spelling <c>--time</c> (never both), sent as the <c>signal</c> and <c>t</c> query parameters.
/// </summary>
internal sealed class StopFlags
{
    private readonly Option<string> _signal = Flags.String("--signal", "-s", "Signal to send to the container");
    private readonly Option<string> _timeout = Flags.String("--timeout", "-t", "Seconds to wait before killing the container", "int");
    private readonly Option<string> _time = Flags.String("--time", null, "Seconds to wait before killing the container (deprecated: use --timeout)", "int");

    public void AddTo(Command command)
    {
        command.Options.Add(_signal);
        command.Options.Add(_timeout);
        command.Options.Add(_time);
    }

    public QueryString Query(ParseResult parse)
    {
        string? timeoutText = parse.GetValue(_timeout);
        string? timeText = parse.GetValue(_time);
        if (timeoutText is not null && timeText is not null)
            throw new CliException(1, "conflicting options: cannot specify both --timeout and --time");
        var query = new QueryString();
        if (timeoutText is not null)
            query.Set("t", Flags.ParseInt(_timeout, timeoutText).ToString());
        else if (timeText is not null)
            query.Set("t", Flags.ParseInt(_time, timeText).ToString());
        if (!string.IsNullOrEmpty(parse.GetValue(_signal)))
            query.Set("signal", parse.GetValue(_signal)!);
        return query;
    }
}
