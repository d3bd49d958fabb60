using System.Text;
using System.Text.Json;
using Berth.Api;

namespace Berth.Cli.Output;

/// <summary>
/// moby <c>jsonmessage.DisplayJSONMessagesStream</c>: prints the messages of a load or pull answer. On a terminal
/// progress lines are redrawn in place (one line per id, with cursor movements); elsewhere progress is left out.
/// A message with an error ends the stream with <see cref="JsonMessageException"/>.
/// </summary>
internal sealed class JsonMessageRenderer
{
    private readonly TextWriter _output;
    private readonly bool _isTerminal;
    private readonly int _width;
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public JsonMessageRenderer(TextWriter output, bool isTerminal, int width)
    {
        _output = output;
        _isTerminal = isTerminal;
        _width = isTerminal && width > 0 ? width : 200;
    }

    public async Task RenderAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonMessage? message;
            try
            {
                message = JsonSerializer.Deserialize(line, ApiJsonContext.Default.JsonMessage);
            }
            catch (JsonException e)
            {
                throw new IOException($"invalid message from the daemon: {e.Message}", e);
            }
            if (message is not null)
                await DisplayAsync(message);
        }
    }

    private async Task DisplayAsync(JsonMessage message)
    {
        if (message.Aux is not null)
            return;
        var text = new StringBuilder();
        int diff = 0;
        bool hasProgress = message.ProgressDetail is not null || !string.IsNullOrEmpty(message.Progress);
        if (!string.IsNullOrEmpty(message.Id) && hasProgress)
        {
            if (!_lines.TryGetValue(message.Id, out int line))
            {
                line = _lines.Count;
                _lines[message.Id] = line;
                if (_isTerminal)
                    text.Append('\n');
            }
            diff = _lines.Count - line;
            if (_isTerminal && diff > 0)
                text.Append($"\x1b[{diff}A");
        }
        else
        {
            _lines.Clear();
        }
        if (message.ErrorDetail is not null || !string.IsNullOrEmpty(message.Error))
        {
            await _output.WriteAsync(text.ToString());
            throw new JsonMessageException(message.ErrorDetail?.Message is { Length: > 0 } detail ? detail : message.Error ?? "");
        }
        string progress = message.ProgressDetail is { } detailProgress ? ProgressBar.Format(detailProgress.Current, detailProgress.Total, _width) : "";
        string end = "";
        if (_isTerminal && string.IsNullOrEmpty(message.Stream) && message.ProgressDetail is not null)
        {
            text.Append("\x1b[2K\r");
            end = "\r";
        }
        else if (message.ProgressDetail is not null && progress.Length > 0)
        {
            await _output.WriteAsync(text.ToString());
            return;
        }
        if (!string.IsNullOrEmpty(message.Id))
            text.Append(message.Id).Append(": ");
        if (message.ProgressDetail is not null && _isTerminal)
            text.Append(message.Status).Append(' ').Append(progress).Append(end);
        else if (!string.IsNullOrEmpty(message.Progress))
            text.Append(message.Status).Append(' ').Append(message.Progress).Append(end);
        else if (!string.IsNullOrEmpty(message.Stream))
            text.Append(message.Stream).Append(end);
        else
            text.Append(message.Status).Append(end).Append('\n');
        if (!string.IsNullOrEmpty(message.Id) && _isTerminal && diff > 0)
            text.Append($"\x1b[{diff}B");
        await _output.WriteAsync(text.ToString());
    }
}
