using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Berth.Bench;

/// <summary>
/// Runs a command and times it from just before <c>posix_spawn</c> to <c>waitpid</c>: the least overhead a timed
/// run can carry (the "spawn of /bin/true" row measures what is left). stdin is /dev/null; stdout goes to
/// /dev/null or, when captured, to a file; stderr always to a file, shown when the command fails.
/// The child gets default signal dispositions and an empty signal mask (.NET ignores SIGPIPE; a CLI must not inherit that).
/// </summary>
public static class Exec
{
    private const int O_WRONLY = 1, O_CREAT = 0x40, O_TRUNC = 0x200, O_RDONLY = 0;
    private const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    private static readonly string OutputDirectory = Directory.CreateTempSubdirectory("berth-bench-exec-").FullName;
    private static int _counter;

    public sealed record Result(int ExitCode, TimeSpan Elapsed, string Stdout, string Stderr, string CommandLine)
    {
        public Result Check() => ExitCode == 0 ? this
            : throw new InvalidOperationException($"`{CommandLine}` exited {ExitCode}: {Stderr.Trim()}{(Stdout.Length > 0 ? "\n" + Stdout.Trim() : "")}");
    }

    /// <summary>Runs <paramref name="argv"/> (argv[0] looked up in PATH) and returns its exit code, wall time and output.</summary>
    public static Result Run(IReadOnlyList<string> argv, bool captureStdout = false, IReadOnlyDictionary<string, string>? env = null)
    {
        int n = Interlocked.Increment(ref _counter);
        string errPath = Path.Combine(OutputDirectory, $"{n}.err");
        string? outPath = captureStdout ? Path.Combine(OutputDirectory, $"{n}.out") : null;
        var strings = new List<IntPtr>();
        IntPtr actions = Marshal.AllocHGlobal(512), attr = Marshal.AllocHGlobal(1024), sigset = Marshal.AllocHGlobal(256);
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin");
            Check(posix_spawn_file_actions_addopen(actions, 1, outPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0x1a4), "addopen stdout");
            Check(posix_spawn_file_actions_addopen(actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0x1a4), "addopen stderr");
            Check(posix_spawnattr_init(attr), "posix_spawnattr_init");
            sigemptyset(sigset);
            Check(posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            for (int signal = 1; signal < 32; signal++)
                if (signal is not (9 or 19))
                    sigaddset(sigset, signal);
            Check(posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            Check(posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
            var args = ToNullTerminated(argv, strings);
            var envp = ToNullTerminated(Environment(env), strings);

            long start = Stopwatch.GetTimestamp();
            int rc = posix_spawnp(out int pid, argv[0], actions, attr, args, envp);
            if (rc != 0)
                throw new InvalidOperationException($"posix_spawnp `{argv[0]}`: errno {rc}");
            int status;
            while (waitpid(pid, out status, 0) < 0)
                if (Marshal.GetLastPInvokeError() != 4) // EINTR
                    throw new InvalidOperationException($"waitpid {pid}: errno {Marshal.GetLastPInvokeError()}");
            var elapsed = Stopwatch.GetElapsedTime(start);

            int exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            string stdout = outPath is null ? "" : File.ReadAllText(outPath);
            string stderr = File.ReadAllText(errPath);
            return new Result(exitCode, elapsed, stdout, stderr, string.Join(' ', argv));
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attr);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attr);
            Marshal.FreeHGlobal(sigset);
            foreach (var s in strings)
                Marshal.FreeCoTaskMem(s);
            File.Delete(errPath);
            if (outPath is not null)
                File.Delete(outPath);
        }
    }

    /// <summary>Runs and throws unless it exits 0.</summary>
    public static Result Checked(params string[] argv) => Run(argv, captureStdout: true).Check();

    /// <summary>The stdout of a command that must succeed, trimmed.</summary>
    public static string Output(params string[] argv) => Checked(argv).Stdout.Trim();

    /// <summary>The first line of a command's output, or "not installed" when it cannot run.</summary>
    public static string VersionOf(params string[] argv)
    {
        try
        {
            var r = Run(argv, captureStdout: true);
            string text = (r.Stdout.Length > 0 ? r.Stdout : r.Stderr).Trim();
            return r.ExitCode == 0 && text.Length > 0 ? text.Split('\n')[0].Trim() : "not available";
        }
        catch (InvalidOperationException)
        {
            return "not installed";
        }
    }

    public static bool OnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));

    private static IEnumerable<string> Environment(IReadOnlyDictionary<string, string>? overrides)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        if (overrides is not null)
            foreach (var (k, v) in overrides)
                env[k] = v;
        return env.Select(kv => kv.Key + "=" + kv.Value);
    }

    private static IntPtr[] ToNullTerminated(IEnumerable<string> values, List<IntPtr> allocated)
    {
        var list = new List<IntPtr>();
        foreach (var v in values)
        {
            var p = Marshal.StringToCoTaskMemUTF8(v);
            allocated.Add(p);
            list.Add(p);
        }
        list.Add(IntPtr.Zero);
        return list.ToArray();
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
            throw new InvalidOperationException($"{what}: errno {rc}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int posix_spawnp(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string file, IntPtr actions, IntPtr attr, IntPtr[] argv, IntPtr[] envp);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_init(IntPtr actions);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_addopen(IntPtr actions, int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_destroy(IntPtr actions);

    [DllImport("libc")]
    private static extern int posix_spawnattr_init(IntPtr attr);

    [DllImport("libc")]
    private static extern int posix_spawnattr_destroy(IntPtr attr);

    [DllImport("libc")]
    private static extern int posix_spawnattr_setflags(IntPtr attr, short flags);

    [DllImport("libc")]
    private static extern int posix_spawnattr_setsigmask(IntPtr attr, IntPtr sigset);

    [DllImport("libc")]
    private static extern int posix_spawnattr_setsigdefault(IntPtr attr, IntPtr sigset);

    [DllImport("libc")]
    private static extern int sigemptyset(IntPtr set);

    [DllImport("libc")]
    private static extern int sigaddset(IntPtr set, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int waitpid(int pid, out int status, int options);

    /// <summary>The directory of captured outputs; removed at exit.</summary>
    public static void Cleanup()
    {
        try
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
