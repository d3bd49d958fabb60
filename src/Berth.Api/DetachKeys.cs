namespace Berth.Api;

/// <summary>
/// The key sequence that detaches from a TTY session (moby/term ToBytes): comma-separated keys, each a single
/// character, "ctrl-@" … "ctrl-z", "ctrl-[", "ctrl-\", "ctrl-]", "ctrl-^", "ctrl-_", or "DEL". The default is
/// Ctrl-P Ctrl-Q.
/// </summary>
public static class DetachKeys
{
    public static readonly byte[] Default = [16, 17];

    private static readonly string[] Control =
    [
        "ctrl-@", "ctrl-a", "ctrl-b", "ctrl-c", "ctrl-d", "ctrl-e", "ctrl-f", "ctrl-g", "ctrl-h", "ctrl-i", "ctrl-j", "ctrl-k",
        "ctrl-l", "ctrl-m", "ctrl-n", "ctrl-o", "ctrl-p", "ctrl-q", "ctrl-r", "ctrl-s", "ctrl-t", "ctrl-u", "ctrl-v", "ctrl-w",
        "ctrl-x", "ctrl-y", "ctrl-z", "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_",
    ];

    /// <summary>The bytes of <paramref name="keys"/>; a <see cref="FormatException"/> "Unknown character: 'x'" for a key it does not know.</summary>
    public static byte[] Parse(string keys)
    {
        var codes = new List<byte>();
        foreach (string key in keys.Split(','))
        {
            // Go compares byte lengths: one byte is taken as it is.
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(key);
            if (utf8.Length == 1)
            {
                codes.Add(utf8[0]);
                continue;
            }
            int code = Array.IndexOf(Control, key);
            if (code >= 0)
                codes.Add((byte)code);
            else if (key == "DEL")
                codes.Add(127);
            else
                throw new FormatException($"Unknown character: '{key}'");
        }
        return codes.ToArray();
    }

    /// <summary>
    /// The keys berth watches for: <paramref name="keys"/> when given and valid, else the default (docker warns
    /// "invalid detach escape keys, using default" at its warning level and goes on).
    /// </summary>
    public static byte[] OrDefault(string? keys)
    {
        if (string.IsNullOrEmpty(keys))
            return Default;
        try
        {
            return Parse(keys);
        }
        catch (FormatException)
        {
            return Default;
        }
    }
}
