using System.Buffers.Binary;
using System.Text;

namespace Berth.InitSpec;

/// <summary>
/// One message of the start handshake: one SOCK_SEQPACKET datagram of a 32-bit type, a 32-bit value and, for
/// an error, its text (UTF-8, the rest of the datagram), in host byte order. Console carries the pty master as
/// SCM_RIGHTS. The C side is native-interop/launcher/berth-sync.h. The exchange of a container start:
/// <code>
///   berthd                         berth-launcher                berth-init (in the new namespaces)
///   socketpair(SEQPACKET), spawn ->  join cgroups, clone ---------> (waits for the launcher's gate)
///                           &lt;-- Pid{pid}                         then exec berth-init
///   open pidfd, reap the launcher     exit 0
///                           &lt;------------------------------------ Ready              (spec read, namespaces exist)
///   [between-clone-and-exec steps:                                mounts, pivot_root, /dev, hostname, lo
///    veth into the netns, hooks]                                  (in parallel with berthd's steps)
///                           &lt;------------------------------------ Console{fd}        (only with a terminal)
///   Continue -------------------------------------------------->  waits for Continue, then seccomp,
///                                                                  credentials, exec (the socket is CLOEXEC)
///                           &lt;------------------------------------ end of stream: the command runs
/// </code>
/// Any side may instead send Error{exit code, message} and exit; berthd then kills and reaps the child. A
/// `docker exec` is the launcher alone: Pid, then end of stream (the command runs) or Error. berthd waits for
/// each message with a timeout and kills a child that stays silent, so a wedged child cannot hang a start.
/// Ready comes as early as possible and init waits for Continue as late as possible, so berthd's steps
/// overlap init's own setup instead of adding to the start (runc's procReady/procRun, youki's
/// process/message.rs and crun's sync socket have the same shape). Work that init must wait for before its
/// mounts (uid maps of a user namespace) would be a new exchange before Ready.
/// </summary>
public readonly record struct SyncMessage(SyncMessageType Type, int Value = 0, string Text = "")
{
    public const int HeaderSize = 8;

    public const int MaxSize = 4096;

    public static SyncMessage Error(int exitCode, string message) => new(SyncMessageType.Error, exitCode, message);

    /// <summary>Writes the datagram into <paramref name="buffer"/> (at least <see cref="MaxSize"/> bytes); returns its length.</summary>
    public int Encode(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)Type);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], Value);
        var text = buffer[HeaderSize..MaxSize];
        int length = Encoding.UTF8.GetByteCount(Text) <= text.Length ? Encoding.UTF8.GetBytes(Text, text) : Truncate(Text, text);
        return HeaderSize + length;
    }

    /// <summary>Reads one datagram; throws <see cref="FormatException"/> for one that is not a message.</summary>
    public static SyncMessage Decode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < HeaderSize)
            throw new FormatException($"sync message of {datagram.Length} bytes, shorter than its header");
        var type = (SyncMessageType)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
        if (!Enum.IsDefined(type))
            throw new FormatException($"unknown sync message type {(uint)type}");
        return new SyncMessage(type, BinaryPrimitives.ReadInt32LittleEndian(datagram[4..]), Encoding.UTF8.GetString(datagram[HeaderSize..]));
    }

    private static int Truncate(string text, Span<byte> destination)
    {
        var encoder = Encoding.UTF8.GetEncoder();
        encoder.Convert(text, destination, flush: true, out _, out int bytes, out _);
        return bytes;
    }

    public override string ToString() => Type switch
    {
        SyncMessageType.Pid => $"Pid {Value}",
        SyncMessageType.Error => $"Error {Value} {Text}",
        _ => Type.ToString(),
    };
}
