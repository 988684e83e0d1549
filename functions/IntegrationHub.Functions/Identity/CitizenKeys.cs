using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Identity;

/// <summary>
/// Keyed hashes (HMAC-SHA256 with <c>Identity:AuditKey</c>) that stand for citizen IDs wherever the
/// hub keeps something about a citizen: the audit log (to find lookups by citizen) and the answer cache.
/// </summary>
internal sealed class CitizenKeys(IOptions<IdentityOptions> options)
{
    private readonly byte[] key = options.Value.AuditKeyBytes();

    /// <summary>The keyed hash that stands for a citizen ID in the audit log.</summary>
    public string KeyOf(string citizenId) => Hash("citizen\n" + citizenId);

    /// <summary>The keyed hash of any text that holds personal data.</summary>
    public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)));
}
