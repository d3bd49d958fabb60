using Berth.InitSpec;
using static Tmds.Linux.LibC;

namespace Berth.Init;

/// <summary>
/// Finds the command to exec the way Go's exec.LookPath does for runc, so errors read like Docker's:
/// `exec: "foo": executable file not found in $PATH` (exit 127).
/// </summary>
public static unsafe class CommandResolver
{
    public static string Resolve(List<string> args, List<string> env)
    {
        if (args.Count == 0 || args[0].Length == 0)
            throw new InitException(ChildContract.ExitNotFound, "no command specified");
        string command = args[0];
        if (command.Contains('/'))
            return CheckExecutable(command);

        string path = env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? "";
        foreach (string dir in path.Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, command);
            if (IsExecutableFile(candidate))
                return candidate;
        }
        throw new InitException(ChildContract.ExitNotFound, $"exec: \"{command}\": executable file not found in $PATH");
    }

    private static string CheckExecutable(string path)
    {
        if (!Path.Exists(path))
            throw new InitException(ChildContract.ExitNotFound, $"exec: \"{path}\": stat {path}: no such file or directory");
        if (Directory.Exists(path))
            throw new InitException(ChildContract.ExitNotExecutable, $"exec: \"{path}\": is a directory");
        if (!IsExecutableFile(path))
            throw new InitException(ChildContract.ExitNotExecutable, $"exec: \"{path}\": permission denied");
        return path;
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
            return false;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            return access(p, X_OK) == 0;
    }
}
