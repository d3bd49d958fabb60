using System.Text;
using Berth.Http;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>Splits a stdcopy-framed body into its stdout and stderr text.</summary>
public static class StdCopyReader
{
    public static async Task<(string Stdout, string Stderr)> DemultiplexAsync(Stream input)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await StdCopy.DemultiplexAsync(input, stdout, stderr);
        return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public static Task<(string Stdout, string Stderr)> DemultiplexAsync(byte[] body) => DemultiplexAsync(new MemoryStream(body));
}
