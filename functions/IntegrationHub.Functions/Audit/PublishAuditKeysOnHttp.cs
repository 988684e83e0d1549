using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// Anyone (an auditor, a verifier) reads the hub's public audit keys: the key that signs checkpoints
/// now and every retired one. Anonymous: public keys are meant to be known.
/// </summary>
internal static class PublishAuditKeysOnHttp
{
    public const string Path = "/.well-known/audit-keys";

    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet(Path, (AuditKeyRing keys) => TypedResults.Ok(keys.Published.Document()))
        .AllowAnonymous()
        .WithName(nameof(PublishAuditKeysOnHttp))
        .Produces<AuditKeys>();
}
