using IntegrationHub.Core.Audit;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// The audit keys in force: the one that signs new checkpoints and the published set (it and every
/// retired key). Read once at start; a rotation takes effect when the hub restarts.
/// </summary>
internal sealed class AuditKeyRing : IDisposable
{
    public AuditKeyRing(IOptions<AuditOptions> options)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.SigningKeyPath))
        {
            throw new InvalidOperationException("Audit:SigningKeyPath is required: the PEM file of the ECDSA P-256 key that signs audit checkpoints.");
        }

        Signing = AuditKeyFiles.ReadSigningKey(settings.SigningKeyPath);
        Published = new AuditKeySet([Signing.PublicKey(), .. (settings.RetiredKeyPaths ?? []).Select(p => AuditKeyFiles.ReadPublicKey(p, current: false))]);
    }

    public AuditSigningKey Signing { get; }

    public AuditKeySet Published { get; }

    public void Dispose()
    {
        Signing.Dispose();
        Published.Dispose();
    }
}
