using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using IntegrationHub.Core.Audit;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Tests;

/// <summary>The audit signing key: where it comes from, what the hub publishes, what it refuses to start with.</summary>
[Trait("Category", "Unit")]
public sealed class AuditKeyTests : IDisposable
{
    private readonly string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"hub-audit-keys-{Guid.NewGuid():N}")).FullName;

    [Fact]
    public async Task Get_WellKnownAuditKeys_AnswersTheSigningKeyWithoutAToken()
    {
        using var host = new HostFixture();
        using var client = host.ClientWith(null);
        using var signing = TestAuditKey.Read();

        var response = await client.GetAsync(new Uri("/.well-known/audit-keys", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = (await response.Content.ReadFromJsonAsync<AuditKeys>(HubJson.Options, TestContext.Current.CancellationToken))!;
        var key = Assert.Single(keys.Keys);
        Assert.Equal((signing.KeyId, AuditKeyStatus.Current, "EC", "P-256", "ES256"), (key.Kid, key.Status, key.Kty, key.Crv, key.Alg));
    }

    [Fact]
    public async Task Get_AfterRotation_PublishesTheRetiredKeySoItsCheckpointsStillVerify()
    {
        using var retired = AuditSigningKey.Create();
        var retiredPath = Write("retired.pem", retired.PublicKeyPem());
        var earlier = retired.Sign(1, new DateTimeOffset(2026, 12, 1, 9, 0, 0, IntegrationHub.Core.VietnamTime.Offset), [ChainSealing.Empty(AuditChains.Timeline)]);
        using var host = new HostFixture { Settings = { ["Audit:RetiredKeyPaths:0"] = retiredPath } };
        using var client = host.ClientWith(null);

        var json = await client.GetStringAsync(new Uri("/.well-known/audit-keys", UriKind.Relative), TestContext.Current.CancellationToken);

        using var published = AuditKeySet.FromJwks(json);
        Assert.Equal([true, false], published.Keys.Select(k => k.Current));
        Assert.Equal(retired.KeyId, published.Keys[1].KeyId);
        Assert.Equal(SignatureCheck.Valid, published.Verify(earlier));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("public")]
    [InlineData("p384")]
    [InlineData("garbage")]
    public void HostStart_SigningKeyUnusable_StopsTheHostNamingTheSetting(string what)
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = what switch
        {
            "missing" => Path.Combine(folder, "nowhere.pem"),
            "public" => Write("public.pem", p256.ExportSubjectPublicKeyInfoPem()),
            "p384" => Write("p384.pem", p384.ExportPkcs8PrivateKeyPem()),
            _ => Write("garbage.pem", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"),
        };
        using var host = new HostFixture { Settings = { ["Audit:SigningKeyPath"] = path } };

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("Audit:SigningKeyPath", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(path), failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void HostStart_NoSigningKeyOutsideDevelopment_StopsTheHostNamingTheSetting()
    {
        using var host = new HostFixture { Settings = { ["Audit:SigningKeyPath"] = "" } };

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("Audit:SigningKeyPath is required", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_FirstUse_WritesAPrivateKeyOnlyItsOwnerMayRead()
    {
        var path = DevelopmentAuditKeys.LoadOrCreate(folder, out var created);
        var again = DevelopmentAuditKeys.LoadOrCreate(folder, out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(path, again);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(path));
        using var key = AuditKeyFiles.ReadSigningKey(path);
        Assert.Equal(43, key.KeyId.Length);
    }

    [Fact]
    public void Rotate_DevelopmentKey_KeepsThePublicHalfOfTheOldKeyOnly()
    {
        var path = DevelopmentAuditKeys.LoadOrCreate(folder, out _);
        using var before = AuditKeyFiles.ReadSigningKey(path);

        var (retired, current) = DevelopmentAuditKeys.Rotate(folder);

        using var after = AuditKeyFiles.ReadSigningKey(path);
        var kept = Assert.Single(DevelopmentAuditKeys.Retired(folder));
        Assert.Equal((before.KeyId, after.KeyId), (retired, current));
        Assert.NotEqual(retired, current);
        Assert.Equal(retired, AuditKeyFiles.ReadPublicKey(kept, current: false).KeyId);
        Assert.DoesNotContain("PRIVATE", File.ReadAllText(kept), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
