using System.Diagnostics;
using System.Text;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using NUnit.Framework;

namespace Berth.Cli.Tests;

/// <summary>
/// A client (berth or docker) run on a fresh pseudo-terminal as a person runs it: the pty's slave is its stdin,
/// stdout, stderr and controlling terminal (<c>setsid -c</c>), so it is the foreground process group and gets
/// SIGWINCH when the test resizes the pty. The test types into the master and reads what the terminal shows.
/// Everything waits with a timeout; disposing kills a client that is still running.
/// </summary>
internal sealed class PtyProcess : IAsyncDisposable
{
    private readonly SafeFileHandle _master;
    private readonly SafeFileHandle _slave;
    private readonly FileStream _input;
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly Thread _reader;

    private PtyProcess(SafeFileHandle master, SafeFileHandle slave, Process process)
    {
        _master = master;
        _slave = slave;
        _process = process;
        _input = new FileStream(new SafeFileHandle(master.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, 0);
        _reader = new Thread(ReadScreen) { IsBackground = true, Name = "pty reader" };
        _reader.Start();
    }

    /// <summary>The terminal's settings when the client started.</summary>
    public TerminalSettings SettingsBefore { get; private init; }

    public int Id => _process.Id;

    /// <summary>Everything the terminal has shown so far.</summary>
    public string Screen
    {
        get
        {
            lock (_screen)
                return _screen.ToString();
        }
    }

    /// <summary>The terminal's current settings (the test's own handle on the slave).</summary>
    public TerminalSettings Settings => Sys.GetTerminalSettings((int)_slave.DangerousGetHandle());

    public static PtyProcess Start(string executable, IEnumerable<string> args, IDictionary<string, string> environment, ushort rows, ushort columns)
    {
        var (master, slave, number) = Sys.OpenPty();
        Sys.SetWindowSize(master, rows, columns);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec setsid -c \"$@\" <>/dev/pts/{number} >&0 2>&0");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(executable);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        foreach (string name in new[] { "DOCKER_HOST", "BERTH_HOST", "DOCKER_CONTEXT", "DOCKER_API_VERSION", "NORAW" })
            start.Environment.Remove(name);
        start.Environment["TERM"] = "xterm";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var settings = Sys.GetTerminalSettings((int)slave.DangerousGetHandle());
        var process = Process.Start(start)!;
        return new PtyProcess(master, slave, process) { SettingsBefore = settings };
    }

    /// <summary>Types <paramref name="text"/> (a terminal sends Enter as "\r").</summary>
    public void Type(string text)
    {
        _input.Write(Encoding.UTF8.GetBytes(text));
        _input.Flush();
    }

    public void Resize(ushort rows, ushort columns) => Sys.SetWindowSize(_master, rows, columns);

    /// <summary>Waits until the screen contains <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!Screen.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"the terminal did not show {text.Replace("\r", "\\r").Replace("\n", "\\n")} in time; it shows:\n{Screen}");
            if (_process.HasExited && !Screen.Contains(text, StringComparison.Ordinal))
            {
                await Task.Delay(200);
                if (!Screen.Contains(text, StringComparison.Ordinal))
                    Assert.Fail($"the client exited ({_process.ExitCode}) before the terminal showed {text.Replace("\r", "\\r").Replace("\n", "\\n")}:\n{Screen}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The client's exit code, once it has exited.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Assert.Fail($"the client did not exit in time; the terminal shows:\n{Screen}");
        }
        await Task.Delay(100);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        // With the client gone and the slave closed, the reader's next read fails (EIO) and it ends.
        _slave.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
        _input.Dispose();
        _master.Dispose();
    }

    private void ReadScreen()
    {
        using var output = new FileStream(new SafeFileHandle(_master.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, 0);
        byte[] buffer = new byte[4096];
        char[] text = new char[4096];
        var decoder = Encoding.UTF8.GetDecoder();
        try
        {
            int read;
            while ((read = output.Read(buffer, 0, buffer.Length)) > 0)
            {
                int chars = decoder.GetChars(buffer, 0, read, text, 0);
                lock (_screen)
                    _screen.Append(text, 0, chars);
            }
        }
        catch (IOException)
        {
        }
    }
}
