using System.Diagnostics;
using System.Text;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>A process a test started in a cgroup, with its stdout and stderr collected together.</summary>
public sealed class StartedProcess
{
    private readonly StringBuilder _output;

    public StartedProcess(Process process, StringBuilder output)
    {
        Process = process;
        _output = output;
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }
}
