using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>
/// The fixed byte encoding the chains and checkpoints are hashed and signed in, so that anyone can
/// recompute them from the stored rows without the hub's code (docs/audit.md).
/// <list type="bullet">
/// <item>text: its UTF-8 byte length as a 4-byte big-endian unsigned number, then the bytes (as stored, not normalised);</item>
/// <item>number: 8 bytes, big-endian two's complement;</item>
/// <item>hash: its 32 bytes;</item>
/// <item>a field: its name as text, then its value: <c>0x00</c> for none, <c>0x01</c> and text, <c>0x02</c> and number.</item>
/// </list>
/// An entry is <c>"IHAUDIT1"</c> (8 ASCII bytes), chain (text), position (number, from 1), the
/// previous entry's hash (hash; 32 zero bytes at position 1), kind (text), entry id (text), the
/// number of fields (4-byte big-endian), then each field. Its hash is SHA-256 of those bytes.
/// A checkpoint is <c>"IHCHKPT1"</c>, number, time (number, Unix milliseconds), key id (text), the
/// number of chains (4 bytes), then for each chain in ordinal order of its name: name (text),
/// count (number), last hash (hash). It is signed with ECDSA P-256 over SHA-256 of those bytes.
/// A retention record is <c>"IHPRUNE1"</c>, the checkpoint it deleted through (number), time
/// (number, Unix milliseconds), key id (text), signed the same way.
/// </summary>
public static class CanonicalForm
{
    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The first bytes of an entry's canonical form: the format and its version.</summary>
    public const string EntryPrefix = "IHAUDIT1";

    /// <summary>The first bytes of a checkpoint's canonical form.</summary>
    public const string CheckpointPrefix = "IHCHKPT1";

    /// <summary>The first bytes of a retention record's canonical form.</summary>
    public const string RetentionPrefix = "IHPRUNE1";

    /// <summary>The hash before the first entry of a chain (and of an empty chain): 32 zero bytes, in hex.</summary>
    public static readonly string ZeroHash = new('0', 64);

    private const byte NullTag = 0x00;
    private const byte TextTag = 0x01;
    private const byte NumberTag = 0x02;

    /// <summary>The canonical bytes of an entry at a position of a chain, after the entry whose hash is <paramref name="previousHash"/>.</summary>
    public static byte[] Entry(string chain, long position, string previousHash, AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteEntry(buffer, chain, position, previousHash, entry);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An entry's hash: lowercase hex of SHA-256 over <see cref="Entry"/>.</summary>
    public static string EntryHash(string chain, long position, string previousHash, AuditEntry entry)
    {
        // The sealer and the verifier hash every entry: one buffer per thread, no copy of the bytes.
        var buffer = EntryBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        WriteEntry(buffer, chain, position, previousHash, entry);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    private static void WriteEntry(ArrayBufferWriter<byte> buffer, string chain, long position, string previousHash, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Ascii(buffer, EntryPrefix);
        Text(buffer, chain);
        Number(buffer, position);
        Hash(buffer, previousHash);
        Text(buffer, entry.Kind);
        Text(buffer, entry.EntryId);
        Length(buffer, entry.Fields.Count);
        foreach (var field in entry.Fields)
        {
            Text(buffer, field.Name);
            Value(buffer, field.Value);
        }
    }

    /// <summary>The canonical bytes a checkpoint's signature covers.</summary>
    public static byte[] Checkpoint(long number, DateTimeOffset at, string keyId, IEnumerable<AuditChainHead> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var ordered = heads.OrderBy(h => h.Chain, StringComparer.Ordinal).ToList();
        var buffer = new ArrayBufferWriter<byte>(256);
        Ascii(buffer, CheckpointPrefix);
        Number(buffer, number);
        Number(buffer, at.ToUnixTimeMilliseconds());
        Text(buffer, keyId);
        Length(buffer, ordered.Count);
        foreach (var head in ordered)
        {
            Text(buffer, head.Chain);
            Number(buffer, head.Count);
            Hash(buffer, head.LastHash);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The canonical bytes a retention record's signature covers.</summary>
    public static byte[] Retention(long throughCheckpoint, DateTimeOffset at, string keyId)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        Ascii(buffer, RetentionPrefix);
        Number(buffer, throughCheckpoint);
        Number(buffer, at.ToUnixTimeMilliseconds());
        Text(buffer, keyId);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Whether a text is a hash as the chains write it: 64 lowercase hex digits.</summary>
    public static bool IsHash(string? text) => text is { Length: 64 } && !text.AsSpan().ContainsAnyExcept(LowercaseHex);

    private static void Value(ArrayBufferWriter<byte> buffer, AuditValue value)
    {
        if (value.Text is { } text)
        {
            Tag(buffer, TextTag);
            Text(buffer, text);
        }
        else if (value.Number is { } number)
        {
            Tag(buffer, NumberTag);
            Number(buffer, number);
        }
        else
        {
            Tag(buffer, NullTag);
        }
    }

    private static void Tag(ArrayBufferWriter<byte> buffer, byte tag)
    {
        buffer.GetSpan(1)[0] = tag;
        buffer.Advance(1);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? EntryBuffer;

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text) => buffer.Advance(Encoding.ASCII.GetBytes(text, buffer.GetSpan(text.Length)));

    private static void Text(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(span, checked((uint)length));
        buffer.Advance(4 + length);
    }

    private static void Length(ArrayBufferWriter<byte> buffer, int length)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), checked((uint)length));
        buffer.Advance(4);
    }

    private static void Number(ArrayBufferWriter<byte> buffer, long number)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), number);
        buffer.Advance(8);
    }

    private static void Hash(ArrayBufferWriter<byte> buffer, string hex)
    {
        if (!IsHash(hex))
        {
            throw new ArgumentException($"'{hex}' is not a hash (64 lowercase hex digits).", nameof(hex));
        }

        Convert.FromHexString(hex, buffer.GetSpan(32), out _, out var written);
        buffer.Advance(written);
    }
}
