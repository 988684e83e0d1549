using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>The hub's audit signing key: an ECDSA P-256 private key that signs checkpoints.</summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly ECDsa key;

    private AuditSigningKey(ECDsa key)
    {
        this.key = key;
        KeyId = AuditKeyIds.Of(key.ExportParameters(includePrivateParameters: false));
    }

    /// <summary>The key's id: its JWK thumbprint (RFC 7638).</summary>
    public string KeyId { get; }

    /// <summary>A key from PEM text (<c>PRIVATE KEY</c> or <c>EC PRIVATE KEY</c>) on the P-256 curve.</summary>
    /// <exception cref="ArgumentException">The text holds no P-256 private key.</exception>
    public static AuditSigningKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            AuditKeyIds.RequireP256(parameters);
            if (parameters.D is null)
            {
                throw new ArgumentException("The PEM text holds a public key; an audit signing key must be private.", nameof(pem));
            }

            return new AuditSigningKey(key);
        }
        catch (CryptographicException error)
        {
            key.Dispose();
            throw new ArgumentException($"The PEM text holds no ECDSA private key: {error.Message}", nameof(pem), error);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A new P-256 key.</summary>
    public static AuditSigningKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The private key as PKCS#8 PEM text (for the development key file).</summary>
    public string ExportPem() => key.ExportPkcs8PrivateKeyPem();

    /// <summary>The public key as PEM text (<c>PUBLIC KEY</c>): what is kept of a retired key.</summary>
    public string PublicKeyPem() => key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public half, as the key set publishes it.</summary>
    public AuditPublicKey PublicKey(bool current = true) => new(KeyId, key.ExportParameters(includePrivateParameters: false), current);

    /// <summary>Signs the heads of the chains as checkpoint <paramref name="number"/> at <paramref name="at"/> (kept to the millisecond).</summary>
    public AuditCheckpoint Sign(long number, DateTimeOffset at, IEnumerable<AuditChainHead> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()).ToOffset(at.Offset);
        var ordered = heads.OrderBy(h => h.Chain, StringComparer.Ordinal).ToList();
        var signature = key.SignData(CanonicalForm.Checkpoint(number, time, KeyId, ordered), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditCheckpoint { Number = number, At = time, KeyId = KeyId, Chains = ordered, Signature = Base64Url.EncodeToString(signature) };
    }

    /// <summary>Signs the record that retention deleted what checkpoint <paramref name="throughCheckpoint"/> covers.</summary>
    public AuditRetention SignRetention(long throughCheckpoint, DateTimeOffset at)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()).ToOffset(at.Offset);
        var signature = key.SignData(CanonicalForm.Retention(throughCheckpoint, time, KeyId), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditRetention(throughCheckpoint, time, KeyId, Base64Url.EncodeToString(signature));
    }

    /// <inheritdoc />
    public void Dispose() => key.Dispose();
}

/// <summary>A public audit key as published: its id, its point, and whether it signs new checkpoints or only earlier ones.</summary>
/// <param name="KeyId">Its JWK thumbprint.</param>
/// <param name="Parameters">The public point on P-256.</param>
/// <param name="Current">True for the key that signs new checkpoints; false for a retired key kept for earlier ones.</param>
public sealed record AuditPublicKey(string KeyId, ECParameters Parameters, bool Current);

/// <summary>How a checkpoint's signature came out.</summary>
public enum SignatureCheck
{
    /// <summary>It holds with a published key.</summary>
    Valid,
    /// <summary>The key it names is not published.</summary>
    UnknownKey,
    /// <summary>It does not hold with the key it names.</summary>
    Invalid,
}

/// <summary>
/// The public audit keys a verifier trusts, as a JWK set (<c>/.well-known/audit-keys</c>): the
/// current key and every retired one, so that every checkpoint ever signed stays verifiable.
/// </summary>
public sealed class AuditKeySet : IDisposable
{
    private readonly Dictionary<string, ECDsa> verifiers = new(StringComparer.Ordinal);

    /// <summary>A set of the given keys; a key listed twice is kept once.</summary>
    public AuditKeySet(IEnumerable<AuditPublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = keys.GroupBy(k => k.KeyId, StringComparer.Ordinal).Select(g => g.OrderByDescending(k => k.Current).First()).ToList();
        foreach (var key in Keys)
        {
            verifiers[key.KeyId] = ECDsa.Create(key.Parameters);
        }
    }

    /// <summary>The keys, the current one first when there is one.</summary>
    public IReadOnlyList<AuditPublicKey> Keys { get; }

    /// <summary>
    /// Reads a JWK set (as published, or written by hand): every key must be EC on P-256, its
    /// <c>kid</c>, when given, its thumbprint; other members are ignored, a missing <c>status</c> is current.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a set; the message says what is wrong.</exception>
    public static AuditKeySet FromJwks(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: HubJson.DocumentOptions);
        }
        catch (JsonException error)
        {
            throw new FormatException($"The audit key set is not JSON: {error.Message}", error);
        }

        if (root?["keys"] is not JsonArray array)
        {
            throw new FormatException("The audit key set has no \"keys\" array.");
        }

        var keys = new List<AuditPublicKey>();
        for (var i = 0; i < array.Count; i++)
        {
            keys.Add(ReadKey(array[i] as JsonObject ?? throw new FormatException($"keys[{i}] is not an object."), i));
        }

        return new AuditKeySet(keys);
    }

    /// <summary>The set as published: a JWK set, the current key first.</summary>
    public AuditKeys Document() => new()
    {
        Keys = [.. Keys.OrderByDescending(k => k.Current).Select(key => new AuditKey
        {
            Kty = "EC", Crv = "P-256", X = Base64Url.EncodeToString(key.Parameters.Q.X), Y = Base64Url.EncodeToString(key.Parameters.Q.Y),
            Kid = key.KeyId, Alg = "ES256", Use = "sig", Status = key.Current ? AuditKeyStatus.Current : AuditKeyStatus.Retired,
        })],
    };

    /// <summary>Checks a checkpoint's signature against the key it names.</summary>
    public SignatureCheck Verify(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] signed;
        try
        {
            signed = CanonicalForm.Checkpoint(checkpoint.Number, checkpoint.At, checkpoint.KeyId, checkpoint.Chains);
        }
        catch (ArgumentException)
        {
            return verifiers.ContainsKey(checkpoint.KeyId) ? SignatureCheck.Invalid : SignatureCheck.UnknownKey; // a head whose hash is not a hash was never signed by the hub
        }

        return Verify(checkpoint.KeyId, signed, checkpoint.Signature);
    }

    /// <summary>Checks a retention record's signature against the key it names.</summary>
    public SignatureCheck Verify(AuditRetention retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        return Verify(retention.KeyId, CanonicalForm.Retention(retention.ThroughCheckpoint, retention.At, retention.KeyId), retention.Signature);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var verifier in verifiers.Values)
        {
            verifier.Dispose();
        }
    }

    private SignatureCheck Verify(string keyId, byte[] signed, string encodedSignature)
    {
        if (!verifiers.TryGetValue(keyId, out var verifier))
        {
            return SignatureCheck.UnknownKey;
        }

        var signature = new byte[64];
        if (!Base64Url.TryDecodeFromChars(encodedSignature, signature, out var written) || written != 64)
        {
            return SignatureCheck.Invalid;
        }

        return verifier.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) ? SignatureCheck.Valid : SignatureCheck.Invalid;
    }

    private static AuditPublicKey ReadKey(JsonObject jwk, int index)
    {
        string Member(string name) => jwk[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new FormatException($"keys[{index}] has no \"{name}\".");

        if (Member("kty") != "EC" || Member("crv") != "P-256")
        {
            throw new FormatException($"keys[{index}] is not an EC key on P-256 (kty {jwk["kty"]}, crv {jwk["crv"]}).");
        }

        byte[] x, y;
        try
        {
            x = Base64Url.DecodeFromChars(Member("x"));
            y = Base64Url.DecodeFromChars(Member("y"));
        }
        catch (FormatException error)
        {
            throw new FormatException($"keys[{index}]: x or y is not base64url.", error);
        }

        var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };
        try
        {
            parameters.Validate();
            using var probe = ECDsa.Create(parameters);
        }
        catch (CryptographicException error)
        {
            throw new FormatException($"keys[{index}] is not a point on P-256: {error.Message}", error);
        }

        var kid = AuditKeyIds.Of(parameters);
        if (jwk["kid"] is not null && Member("kid") != kid)
        {
            throw new FormatException($"keys[{index}] says kid {Member("kid")}, but its thumbprint is {kid}.");
        }

        var status = jwk["status"] is null ? "current" : Member("status");
        return new AuditPublicKey(kid, parameters, status != "retired");
    }
}

/// <summary>Key ids: the JWK thumbprint of RFC 7638, which anyone can recompute from the public key.</summary>
public static class AuditKeyIds
{
    /// <summary>
    /// Base64url (no padding) of SHA-256 over <c>{"crv":"P-256","kty":"EC","x":"…","y":"…"}</c>, with
    /// the members in that order and no white space.
    /// </summary>
    public static string Of(ECParameters parameters)
    {
        RequireP256(parameters);
        var json = $$"""{"crv":"P-256","kty":"EC","x":"{{Base64Url.EncodeToString(parameters.Q.X)}}","y":"{{Base64Url.EncodeToString(parameters.Q.Y)}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    internal static void RequireP256(ECParameters parameters)
    {
        if (!parameters.Curve.IsNamed || parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException($"An audit key must be on the P-256 curve; this one is on {parameters.Curve.Oid.FriendlyName ?? parameters.Curve.Oid.Value ?? "an unnamed curve"}.");
        }
    }
}
