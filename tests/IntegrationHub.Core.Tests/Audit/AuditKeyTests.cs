using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Core.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests.Audit;

[Trait("Category", "Unit")]
public sealed class AuditKeyTests : IDisposable
{
    // A P-256 key made with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`; its
    // thumbprint computed from x and y with Python's hashlib, following RFC 7638.
    private const string Pem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQguUO+T2iBQ45vXVBN
        b5qUYsWPhMDLQUMxQ1oZVY36YL2hRANCAAQk0hRQute1W2FWO94hH30HUuoMegpr
        CsngQtqB9utg8xRojZOXe/eTyAOhINeU6JRGHwanEOQaUhYdg2DhwOug
        -----END PRIVATE KEY-----
        """;

    private const string PemThumbprint = "txP6Flbo5f2ILp4yojZbfK5xSRiyVRY79qcAVPddyDo";

    private static readonly AuditChainHead[] Heads =
    [
        new() { Chain = AuditChains.Timeline, Count = 12, LastHash = new string('a', 64) },
        new() { Chain = AuditChains.Identity, Count = 3, LastHash = new string('b', 64) },
        new() { Chain = AuditChains.Operator, Count = 0, LastHash = CanonicalForm.ZeroHash },
    ];

    private static readonly DateTimeOffset At = new(2026, 12, 3, 14, 5, 0, 123, VietnamTime.Offset);

    private readonly AuditSigningKey key = AuditSigningKey.Create();
    private readonly AuditSigningKey other = AuditSigningKey.Create();

    [Fact]
    public void KeyId_IsTheRfc7638Thumbprint()
    {
        using var fromPem = AuditSigningKey.FromPem(Pem);

        Assert.Equal(PemThumbprint, fromPem.KeyId);
    }

    [Fact]
    public void Verify_CheckpointSignedByAnIndependentImplementation_Holds()
    {
        // Signed with Python's cryptography package over the bytes the README describes.
        using var fromPem = AuditSigningKey.FromPem(Pem);
        using var keys = new AuditKeySet([fromPem.PublicKey()]);
        var checkpoint = new AuditCheckpoint
        {
            Number = 1, At = At, KeyId = PemThumbprint, Chains = [.. Heads.OrderBy(h => h.Chain, StringComparer.Ordinal)],
            Signature = "Tb7s_qmwP_7FDT4ru6jqhnVC1F5EqauVuGNG0gJW4xL-OEwbm1bXf4e9xqIbzH09wtaD8Ad4oON99iPrSPaUqw",
        };

        Assert.Equal(SignatureCheck.Valid, keys.Verify(checkpoint));
        Assert.Equal(SignatureCheck.Invalid, keys.Verify(checkpoint with { At = At.AddMilliseconds(1) }));
    }

    [Fact]
    public void Sign_ThenVerify_Holds()
    {
        using var keys = new AuditKeySet([key.PublicKey()]);

        var checkpoint = key.Sign(1, At, Heads);

        Assert.Equal(SignatureCheck.Valid, keys.Verify(checkpoint));
        Assert.Equal([AuditChains.Identity, AuditChains.Operator, AuditChains.Timeline], checkpoint.Chains.Select(h => h.Chain));
        Assert.Equal(86, checkpoint.Signature.Length);
    }

    public static TheoryData<string> Changes() => ["count", "hash", "time", "number", "chain dropped"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Verify_AnythingChangedAfterSigning_DoesNotHold(string change)
    {
        using var keys = new AuditKeySet([key.PublicKey()]);
        var signed = key.Sign(1, At, Heads);

        var forged = change switch
        {
            "count" => signed with { Chains = [.. signed.Chains.Select(h => h.Chain == AuditChains.Timeline ? h with { Count = 11 } : h)] },
            "hash" => signed with { Chains = [.. signed.Chains.Select(h => h.Chain == AuditChains.Identity ? h with { LastHash = new string('c', 64) } : h)] },
            "time" => signed with { At = signed.At.AddMilliseconds(1) },
            "number" => signed with { Number = 2 },
            _ => signed with { Chains = [.. signed.Chains.Where(h => h.Chain != AuditChains.Operator)] },
        };

        Assert.Equal(SignatureCheck.Invalid, keys.Verify(forged));
    }

    [Fact]
    public void Verify_SignedByAnotherKeyUnderTheSameKeyId_DoesNotHold()
    {
        using var keys = new AuditKeySet([key.PublicKey()]);
        var resigned = other.Sign(1, At, Heads) with { KeyId = key.KeyId };

        Assert.Equal(SignatureCheck.Invalid, keys.Verify(resigned));
    }

    [Fact]
    public void Verify_SignedByAKeyNotPublished_IsUnknownKey()
    {
        using var keys = new AuditKeySet([key.PublicKey()]);

        Assert.Equal(SignatureCheck.UnknownKey, keys.Verify(other.Sign(1, At, Heads)));
    }

    [Fact]
    public void Verify_AfterRotation_EarlierCheckpointsStillHoldWithTheRetiredKey()
    {
        var before = key.Sign(1, At, Heads);
        var after = other.Sign(2, At.AddMinutes(5), Heads);
        using var rotated = new AuditKeySet([other.PublicKey(), key.PublicKey(current: false)]);

        Assert.Equal(SignatureCheck.Valid, rotated.Verify(before));
        Assert.Equal(SignatureCheck.Valid, rotated.Verify(after));
        Assert.Equal([AuditKeyStatus.Current, AuditKeyStatus.Retired], rotated.Document().Keys.Select(k => k.Status));
    }

    [Fact]
    public void Document_ReadBack_TrustsTheSameKeys()
    {
        using var published = new AuditKeySet([other.PublicKey(), key.PublicKey(current: false)]);
        var json = JsonSerializer.Serialize(published.Document(), HubJson.Options);

        using var read = AuditKeySet.FromJwks(json);

        Assert.Equal(published.Keys.Select(k => (k.KeyId, k.Current)), read.Keys.Select(k => (k.KeyId, k.Current)));
        Assert.Equal(SignatureCheck.Valid, read.Verify(key.Sign(1, At, Heads)));
        Assert.Contains("\"kty\":\"EC\"", json, StringComparison.Ordinal);
        Assert.Contains("\"alg\":\"ES256\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJwks_KeyIdThatIsNotItsThumbprint_IsRefusedNamingBoth()
    {
        var jwk = key.PublicKey().Parameters;
        var json = $$"""{"keys":[{"kty":"EC","crv":"P-256","x":"{{Base64Url.EncodeToString(jwk.Q.X)}}","y":"{{Base64Url.EncodeToString(jwk.Q.Y)}}","kid":"audit-2026"}]}""";

        var error = Assert.Throws<FormatException>(() => AuditKeySet.FromJwks(json));

        Assert.Contains("audit-2026", error.Message, StringComparison.Ordinal);
        Assert.Contains(key.KeyId, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}""", "not an EC key on P-256")]
    [InlineData("""{"keys":[{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}]}""", "not a point on P-256")]
    [InlineData("""{"key":[]}""", "no \"keys\" array")]
    [InlineData("""not json""", "not JSON")]
    public void FromJwks_NotASetOfP256Keys_IsRefusedSayingWhy(string json, string why)
    {
        var error = Assert.Throws<FormatException>(() => AuditKeySet.FromJwks(json));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_KeyOnAnotherCurve_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<ArgumentException>(() => AuditSigningKey.FromPem(p384.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_PublicKeyOnly_IsRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<ArgumentException>(() => AuditSigningKey.FromPem(ec.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("private", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportPem_ReadBack_IsTheSameKey()
    {
        using var read = AuditSigningKey.FromPem(key.ExportPem());

        Assert.Equal(key.KeyId, read.KeyId);
    }

    [Fact]
    public void KeyId_OfTheSamePoint_IsTheSameWhicheverWayItIsWritten()
    {
        var parameters = key.PublicKey().Parameters;
        var json = $$"""{"crv":"P-256","kty":"EC","x":"{{Base64Url.EncodeToString(parameters.Q.X)}}","y":"{{Base64Url.EncodeToString(parameters.Q.Y)}}"}""";

        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json))), key.KeyId);
    }

    public void Dispose()
    {
        key.Dispose();
        other.Dispose();
    }
}
