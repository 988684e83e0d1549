using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions;

/// <summary>The host's log messages. Never personal data: citizen IDs are masked, names never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Read {Count} signing keys from {Source}")]
    public static partial void KeysRead(ILogger logger, int count, string source);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Could not read the signing keys from {Source}; keeping the keys read before")]
    public static partial void KeysUnreadable(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Token refused: {Problem} ({Reason})")]
    public static partial void TokenRefused(ILogger logger, string problem, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Development signing key created at {Directory}; tokens it signs are accepted only in Development")]
    public static partial void DevelopmentKeyCreated(ILogger logger, string directory);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Reference data loaded: {Procedures} procedures, routing versions {Versions}, calendar {FirstYear}-{LastYear}")]
    public static partial void ReferenceDataLoaded(ILogger logger, int procedures, string versions, int firstYear, int lastYear);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Reference data in {Directory} was changed but is not valid; the hub keeps routing with the data loaded before")]
    public static partial void ReferenceDataRejected(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "The working-day calendar covers only until {LastYear}; add the next year's schedule before due dates reach it")]
    public static partial void CalendarEndingSoon(ILogger logger, int lastYear);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Rate limit reached for caller {Caller} on {Path}")]
    public static partial void RateLimited(ILogger logger, string caller, string path);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Intake committed: {Accepted} accepted, {Duplicates} duplicates, {DeadLettered} dead-lettered")]
    public static partial void IntakeCommitted(ILogger logger, int accepted, int duplicates, int deadLettered);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Portal item {PortalCode} cannot be read; dead-lettered with the portal fields at fault")]
    public static partial void IntakeUnreadable(ILogger logger, string portalCode);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Dossier code {PortalCode} listed again with other content; dead-lettered")]
    public static partial void IntakeConflictingDuplicate(ILogger logger, string portalCode);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Portal sync failed ({Failure}): {Reason}; the cursor stays and the next run asks again")]
    public static partial void PortalSyncFailed(ILogger logger, string failure, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Dossier {PortalCode} refused: {Detail}")]
    public static partial void ApplicantRefused(ILogger logger, string portalCode, string detail);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Dossier {PortalCode} routed as {CityCode} to {Department} (routing table {Version})")]
    public static partial void DossierRouted(ILogger logger, string portalCode, string cityCode, string department, string version);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Dossier {PortalCode} could not be routed ({Reason}); dead-lettered")]
    public static partial void DossierNotRouted(ILogger logger, string portalCode, string reason);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Dossier {CityCode} delivered to sector system {System}, receipt {Receipt}")]
    public static partial void SectorDelivered(ILogger logger, string cityCode, string system, string receipt);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Portal told dossier {PortalCode} status {Status} (late, history only: {Stale})")]
    public static partial void PortalTold(ILogger logger, string portalCode, int status, bool stale);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Deadline alert for {CityCode}: {Threshold} at {Department}")]
    public static partial void DeadlineAlert(ILogger logger, string cityCode, string threshold, string department);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Exporting traces and metrics to {Endpoint} over OTLP ({Protocol})")]
    public static partial void TelemetryExporting(ILogger logger, string endpoint, string protocol);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Not ready: {Part}")]
    public static partial void NotReady(ILogger logger, string part, Exception exception);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Replay job {JobId} started on {Queue}: {Count} dead letters at most {MaxPerSecond}/s, by {Operator}")]
    public static partial void ReplayJobStarted(ILogger logger, string jobId, string queue, int count, int maxPerSecond, string @operator);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Information, Message = "Replay job {JobId} running here, {Pending} pending")]
    public static partial void ReplayJobResumed(ILogger logger, string jobId, int pending);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Replay job {JobId} completed: {Replayed} replayed, {NotFound} no longer there, {Failed} failed")]
    public static partial void ReplayJobCompleted(ILogger logger, string jobId, int replayed, int notFound, int failed);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Warning, Message = "Replay job {JobId} cancelled by {Operator}")]
    public static partial void ReplayJobCancelled(ILogger logger, string jobId, string @operator);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Error, Message = "The replay runner could not go on; the job stays and is picked up again")]
    public static partial void ReplayRunnerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Information, Message = "Dead letter {MessageId} corrected ({Changes} fields) and replayed to {Queue} by {Operator}")]
    public static partial void DeadLetterEdited(ILogger logger, string messageId, string queue, int changes, string @operator);

    [LoggerMessage(EventId = 2507, Level = LogLevel.Warning, Message = "Queue statistics could not be sampled")]
    public static partial void QueueSamplingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, string method, string path, Exception exception);
}
