using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>
/// The little of the DNS wire format (RFC 1035 §4) the embedded responder needs: read the one question of a
/// query, write a reply with A records or an error code. Hand-written: the NuGet candidates (ARSoft.Tools.Net,
/// Makaretu.Dns, DnsClient) are full clients/servers that are not annotated for trimming/NativeAOT, and everything
/// the responder does not answer itself is relayed to the host's resolvers byte for byte, unparsed.
/// </summary>
public static class DnsMessage
{
    public const ushort TypeA = 1, TypeAaaa = 28, ClassIn = 1;
    public const byte NoError = 0, ServerFailure = 2, NameError = 3, NotImplemented = 4;
    private const int HeaderLength = 12;

    /// <summary>A parsed query: the name (no trailing dot, as sent), its type and class, and where the question ends.</summary>
    public readonly record struct Question(ushort Id, string Name, ushort Type, ushort Class, int End, bool IsQuery);

    /// <summary>Reads the first question of <paramref name="message"/>; false when it is malformed or has none.</summary>
    public static bool TryReadQuestion(ReadOnlySpan<byte> message, out Question question)
    {
        question = default;
        if (message.Length < HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(message[4..]) == 0)
            return false;
        var name = new StringBuilder();
        int offset = HeaderLength;
        while (true)
        {
            if (offset >= message.Length)
                return false;
            int length = message[offset++];
            if (length == 0)
                break;
            if (length > 63 || offset + length > message.Length || name.Length + length > 253)
                return false; // compression pointers never appear in a question's name of a well-formed query
            if (name.Length > 0)
                name.Append('.');
            name.Append(Encoding.ASCII.GetString(message.Slice(offset, length)));
            offset += length;
        }
        if (offset + 4 > message.Length)
            return false;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        question = new Question(BinaryPrimitives.ReadUInt16BigEndian(message), name.ToString(),
            BinaryPrimitives.ReadUInt16BigEndian(message[offset..]), BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]),
            offset + 4, IsQuery: (flags & 0x8000) == 0 && ((flags >> 11) & 0xf) == 0);
        return true;
    }

    /// <summary>
    /// A reply to <paramref name="query"/>: its header and question echoed, QR and RA set, RD copied, the code, and
    /// one A record per address (name as a pointer to the question, TTL 600 as Docker's resolver uses).
    /// </summary>
    public static byte[] Reply(ReadOnlySpan<byte> query, Question question, byte responseCode, IReadOnlyList<IPAddress> addresses)
    {
        var reply = new byte[question.End + addresses.Count * 16];
        query[..question.End].CopyTo(reply);
        ushort flags = (ushort)(0x8000 | (BinaryPrimitives.ReadUInt16BigEndian(query[2..]) & 0x0100) | 0x0080 | responseCode);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)addresses.Count);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), 0);
        int offset = question.End;
        foreach (var address in addresses)
        {
            Span<byte> record = reply.AsSpan(offset, 16);
            BinaryPrimitives.WriteUInt16BigEndian(record, 0xc00c);
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], TypeA);
            BinaryPrimitives.WriteUInt16BigEndian(record[4..], ClassIn);
            BinaryPrimitives.WriteUInt32BigEndian(record[6..], 600);
            BinaryPrimitives.WriteUInt16BigEndian(record[10..], 4);
            address.TryWriteBytes(record[12..], out _);
            offset += 16;
        }
        return reply;
    }

    /// <summary>A query for <paramref name="name"/> (tests and health checks).</summary>
    public static byte[] Query(ushort id, string name, ushort type)
    {
        var bytes = new List<byte>(HeaderLength + name.Length + 6);
        bytes.AddRange([(byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, (byte)ClassIn]);
        return [.. bytes];
    }
}
