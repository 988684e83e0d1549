namespace IntegrationHub.Functions;

/// <summary>The audit chains' log messages (event ids 2601–2699).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "Created a development audit signing key at {Path}; outside Development configure Audit:SigningKeyPath")]
    public static partial void DevelopmentAuditKeyCreated(ILogger logger, string path);
}
