namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: the hub's public audit keys as a JWK set (<c>GET /.well-known/audit-keys</c>): the key
/// that signs new checkpoints and every retired one, so that every checkpoint ever signed stays
/// verifiable after a rotation.
/// </summary>
public sealed record AuditKeys
{
    /// <summary>The keys, the current one first.</summary>
    public required IReadOnlyList<AuditKey> Keys { get; init; }
}

/// <summary>Whether a key signs new checkpoints.</summary>
public enum AuditKeyStatus
{
    /// <summary>It signs new checkpoints.</summary>
    Current,
    /// <summary>It signed earlier checkpoints and signs no more.</summary>
    Retired,
}

/// <summary>One public audit key as a JWK (RFC 7517) on P-256.</summary>
public sealed record AuditKey
{
    /// <summary>Key type: <c>EC</c>.</summary>
    public required string Kty { get; init; }

    /// <summary>Curve: <c>P-256</c>.</summary>
    public required string Crv { get; init; }

    /// <summary>The point's x coordinate, base64url.</summary>
    public required string X { get; init; }

    /// <summary>The point's y coordinate, base64url.</summary>
    public required string Y { get; init; }

    /// <summary>The key id: its JWK thumbprint (RFC 7638), which checkpoints name.</summary>
    public required string Kid { get; init; }

    /// <summary>Algorithm: <c>ES256</c>.</summary>
    public required string Alg { get; init; }

    /// <summary>Use: <c>sig</c>.</summary>
    public required string Use { get; init; }

    /// <summary>Current or retired.</summary>
    public required AuditKeyStatus Status { get; init; }
}
