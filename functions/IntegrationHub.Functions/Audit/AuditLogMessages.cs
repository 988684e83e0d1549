namespace IntegrationHub.Functions;

/// <summary>The audit chains' log messages (event ids 2601–2699). Never personal data: the chains hold none.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "Created a development audit signing key at {Path}; outside Development configure Audit:SigningKeyPath")]
    public static partial void DevelopmentAuditKeyCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "Audit checkpoint {Number} signed ({Heads}) with key {KeyId}")]
    public static partial void CheckpointSigned(ILogger logger, long number, string heads, string keyId);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "Audit chains verified: {Summary}")]
    public static partial void AuditChainsIntact(ILogger logger, string summary);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Critical, Message = "Audit chains do not hold: {Summary}")]
    public static partial void AuditChainsBroken(ILogger logger, string summary);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Warning, Message = "Audit retention through checkpoint {Checkpoint} by {Actor}: {Entries} entries and {Seals} seals deleted")]
    public static partial void AuditRetained(ILogger logger, long checkpoint, string actor, long entries, long seals);
}
