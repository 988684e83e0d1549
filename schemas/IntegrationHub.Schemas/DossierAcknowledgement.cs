namespace IntegrationHub.Schemas;

/// <summary>
/// HTTP body: a department acknowledges a dossier it pulled
/// (<c>POST /api/departments/{department}/dossiers/{cityCode}/acknowledgement</c>).
/// </summary>
public sealed record DossierAcknowledgement
{
    /// <summary>The lock token the pull returned with the dossier.</summary>
    public required string LockToken { get; init; }
}
