using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors;

/// <summary>
/// The connectors' log lines. They name systems, calls, codes and masked identifiers only: no
/// names, no full citizen IDs, no bodies.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{System} {Operation}: attempt {Attempt} failed with {Outcome}; retrying in {Delay}")]
    public static partial void RetryScheduled(ILogger logger, string system, string operation, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "{System} {Operation}: not retried after {Outcome}: the request may already have been applied and carries no idempotency key")]
    public static partial void NotRetriedMayBeApplied(ILogger logger, string system, string operation, string outcome);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "{System} {Operation}: not retried: the system asks for a pause of {Pause}, longer than the {MaxPause} allowed")]
    public static partial void NotRetriedPauseTooLong(ILogger logger, string system, string operation, TimeSpan pause, TimeSpan maxPause);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "{System}: circuit opened for {BreakDuration} after {Outcome}")]
    public static partial void CircuitOpened(ILogger logger, string system, TimeSpan breakDuration, string outcome);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "{System}: circuit half-open; the next call is a probe")]
    public static partial void CircuitHalfOpened(ILogger logger, string system);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "{System}: circuit closed")]
    public static partial void CircuitClosed(ILogger logger, string system);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "{System} {Operation}: rejected without a request, the circuit is open")]
    public static partial void CircuitRejected(ILogger logger, string system, string operation);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "{System} {Operation}: rejected without a request, {MaxConcurrent} calls in flight and {QueueLimit} waiting")]
    public static partial void ConcurrencyRejected(ILogger logger, string system, string operation, int maxConcurrent, int queueLimit);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "{System} {Operation}: refused by the system with {ErrorCode} (HTTP {Status})")]
    public static partial void Refused(ILogger logger, string system, string operation, string errorCode, int status);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "{System} {Operation}: the reply could not be read at {Field}")]
    public static partial void MalformedReply(ILogger logger, string system, string operation, string field);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "{System} {Operation}: unavailable ({Cause})")]
    public static partial void Unavailable(ILogger logger, string system, string operation, string cause);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Debug, Message = "{System}: access token acquired, valid for {Lifetime}")]
    public static partial void TokenAcquired(ILogger logger, string system, TimeSpan lifetime);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Information, Message = "{System} {Operation}: the system refused the access token (401); refreshing it and sending once more")]
    public static partial void TokenRefused(ILogger logger, string system, string operation);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information, Message = "portal: dossier {PortalCode} already exists on the portal; updating it")]
    public static partial void PortalDossierExists(ILogger logger, string portalCode);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Information, Message = "portal: dossier {PortalCode} {Outcome} with status {Status}")]
    public static partial void PortalDossierSynced(ILogger logger, string portalCode, string outcome, int status);

    [LoggerMessage(EventId = 4042, Level = LogLevel.Warning, Message = "portal: listed item {PortalCode} cannot be read: {Problem}")]
    public static partial void PortalItemUnreadable(ILogger logger, string portalCode, string problem);

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "population: lookup {RequestId} of {MaskedCitizenId} by {OfficerCode} ({Unit}) for {Purpose}")]
    public static partial void PopulationLookup(ILogger logger, string requestId, string maskedCitizenId, string officerCode, string unit, string purpose);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Information, Message = "population: lookup {RequestId} answered {Outcome}")]
    public static partial void PopulationAnswered(ILogger logger, string requestId, string outcome);

    [LoggerMessage(EventId = 4060, Level = LogLevel.Information, Message = "{System}: dossier {CityCode} delivered, receipt {ReceiptId}")]
    public static partial void SectorDelivered(ILogger logger, string system, string cityCode, string receiptId);
}
