using System.Text;
using Berth.Engine.Containers;

namespace Berth.Engine.Build;

/// <summary>RUN: the command in a container of the current image, with the build args in its environment.</summary>
internal sealed partial class BuildRun
{
    private async Task RunAsync(BuildStage stage, DockerfileInstruction instruction, CancellationToken ct)
    {
        if (instruction.Flags.Count > 0)
            throw new DockerfileException(instruction.Line,
                $"the --{instruction.Flags[0].Key} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled");
        List<string> command;
        if (instruction.Json is { } json)
            command = [.. json];
        else if (instruction.Heredocs.Count > 0)
            command = [.. Shell(stage), HeredocScript(instruction)];
        else
            command = [.. Shell(stage), instruction.Arguments];
        if (command.Count == 0)
            throw new DockerfileException(instruction.Line, "RUN requires at least one argument");

        // moby's dispatchRun: the ARGs in effect that Env does not set go into the container's environment, and (sorted,
        // proxies left out unless declared) before the command in the cache key and history: "|2 A=1 B=2 /bin/sh -c ...".
        var envKeys = (stage.Config.Env ?? []).Select(e => e.Split('=', 2)[0]).ToHashSet();
        var args = new List<string>();
        var keyed = new List<string>();
        foreach (var (name, value) in stage.Args)
        {
            if (value is null || envKeys.Contains(name))
                continue;
            args.Add(name + "=" + value);
            keyed.Add(name + "=" + value);
        }
        foreach (string proxy in ProxyArgs)
        {
            if (!stage.Args.ContainsKey(proxy) && UserArg(proxy) is { } value && !envKeys.Contains(proxy))
                args.Add(proxy + "=" + value);
        }
        keyed.Sort(StringComparer.Ordinal);
        string createdBy = (keyed.Count > 0 ? $"|{keyed.Count} {string.Join(' ', keyed)} " : "") + string.Join(' ', command);
        var run = new ContainerConfig
        {
            Cmd = command,
            Entrypoint = [""],
            Env = [.. stage.Config.Env ?? [], .. args],
            WorkingDir = stage.Config.WorkingDir,
            User = stage.Config.User,
            AttachStdout = true,
            AttachStderr = true,
        };
        await CommitAsync(stage, createdBy, stage.Config, ct, run: run);
    }

    /// <summary>
    /// A RUN with heredocs as buildkit runs it: <c>RUN &lt;&lt;EOF</c> alone runs the heredoc as the script; otherwise the
    /// line and its heredocs are handed to the shell as they were written.
    /// </summary>
    private static string HeredocScript(DockerfileInstruction instruction)
    {
        var first = instruction.Heredocs[0];
        string text = instruction.Arguments.Trim();
        if (instruction.Heredocs.Count == 1 && System.Text.RegularExpressions.Regex.IsMatch(text, @"^<<-?\s*[""']?" + first.Name + @"[""']?$"))
            return first.Content;
        var script = new StringBuilder(instruction.Arguments).Append('\n');
        foreach (var heredoc in instruction.Heredocs)
            script.Append(heredoc.Content).Append(heredoc.Name).Append('\n');
        return script.ToString();
    }
}
