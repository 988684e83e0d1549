using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Identity;

/// <summary>
/// Keyed hashes (HMAC-SHA256 with <c>Identity:AuditKey</c>) that stand for citizen IDs wherever the
/// hub keeps something about a citizen: the audit log (to find lookups by citizen) and the answer cache.
/// </summary>
internal sealed class CitizenKeys(IOptions<IdentityOptions> options) : IDisposable
{
    private const int StackBytes = 512;
    private readonly byte[] key = options.Value.AuditKeyBytes();

    // One HMAC per thread, keyed once and reset after each hash: the one-shot HMACSHA256.HashData sets
    // the key up again for every hash, twice a check.
    private ThreadLocal<IncrementalHash>? hmacs;

    /// <summary>The keyed hash that stands for a citizen ID in the audit log.</summary>
    public string KeyOf(string citizenId) => Hash("citizen\n" + citizenId);

    /// <summary>The keyed hash of any text that holds personal data.</summary>
    public string Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = length > StackBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> bytes = rented ?? stackalloc byte[StackBytes];
            var written = Encoding.UTF8.GetBytes(value, bytes);
            Span<byte> hash = stackalloc byte[32];
            var hmac = LazyInitializer.EnsureInitialized(ref hmacs, () => new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key), trackAllValues: true)).Value!;
            hmac.AppendData(bytes[..written]);
            hmac.GetHashAndReset(hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented);
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void Dispose()
    {
        if (hmacs is null)
        {
            return;
        }

        foreach (var hmac in hmacs.Values)
        {
            hmac.Dispose();
        }

        hmacs.Dispose();
    }
}
