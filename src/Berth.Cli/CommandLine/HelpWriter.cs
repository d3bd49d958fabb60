using System.CommandLine;
using System.Text;
using Berth.Cli.Output;

namespace Berth.Cli.CommandLine;

/// <summary>Usage text laid out like the docker CLI's.</summary>
public static class HelpWriter
{
    public static string ForVerb(Verb verb)
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  ").Append(verb.UseLine).Append("\n\n").Append(verb.Description).Append("\n\nOptions:\n");
        text.Append(OptionTable(verb.Command.Options));
        return text.ToString();
    }

    public static string ForRoot(IEnumerable<Verb> verbs, IEnumerable<Option> globalOptions)
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  berth [OPTIONS] COMMAND\n\nA Docker-compatible container engine client\n\nCommands:\n");
        var commands = new TabWriter(0, 3);
        foreach (var verb in verbs)
            commands.WriteRow("  " + verb.Name, verb.Description);
        text.Append(commands).Append("\nGlobal Options:\n").Append(OptionTable(globalOptions));
        text.Append("\nRun 'berth COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    /// <summary>`berth volume`: the group's commands.</summary>
    public static string ForGroup(string group, IEnumerable<(string Name, string Description)> commands)
    {
        var text = new StringBuilder();
        text.Append($"\nUsage:  berth {group} COMMAND\n\nManage {group}s\n\nCommands:\n");
        var table = new TabWriter(0, 3);
        foreach (var (name, description) in commands)
            table.WriteRow("  " + name, description);
        text.Append(table).Append($"\nRun 'berth {group} COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    private static string OptionTable(IEnumerable<Option> options)
    {
        var table = new TabWriter(0, 3);
        foreach (var option in options.OrderBy(o => o.Name.TrimStart('-'), StringComparer.Ordinal))
        {
            string? shortName = option.Aliases.FirstOrDefault(a => a.Length == 2);
            string flag = (shortName is null ? "      " : $"  {shortName}, ") + option.Name;
            if (option.ValueType != typeof(bool))
                flag += " " + (option.HelpName ?? "string");
            table.WriteRow(flag, option.Description ?? "");
        }
        return table.ToString();
    }
}
