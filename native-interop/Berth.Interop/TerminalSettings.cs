using System.Runtime.InteropServices;

namespace Berth.Interop;

/// <summary>
/// A terminal's termios settings as <see cref="Sys.GetTerminalSettings"/> read them, to be put back with
/// <see cref="Sys.SetTerminalSettings"/>. Two values are equal when every byte of the structure is.
/// </summary>
public readonly struct TerminalSettings : IEquatable<TerminalSettings>
{
    internal TerminalSettings(Libc.termios_t value)
    {
        Value = value;
    }

    internal Libc.termios_t Value { get; }

    /// <summary>Whether ICANON and ECHO are off, as in raw mode.</summary>
    public bool IsRaw => (Value.c_lflag & (0x2u | 0x8u)) == 0;

    /// <summary>These settings in raw mode (cfmakeraw): the terminal passes every byte as it is typed and as it is written.</summary>
    public unsafe TerminalSettings MakeRaw()
    {
        var raw = Value;
        Libc.cfmakeraw(&raw);
        return new TerminalSettings(raw);
    }

    public bool Equals(TerminalSettings other)
    {
        var mine = Value;
        var theirs = other.Value;
        return MemoryMarshal.AsBytes(new ReadOnlySpan<Libc.termios_t>(ref mine))
            .SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<Libc.termios_t>(ref theirs)));
    }

    public override bool Equals(object? obj) => obj is TerminalSettings other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Value.c_iflag, Value.c_oflag, Value.c_cflag, Value.c_lflag);

    public static bool operator ==(TerminalSettings left, TerminalSettings right) => left.Equals(right);

    public static bool operator !=(TerminalSettings left, TerminalSettings right) => !left.Equals(right);
}
