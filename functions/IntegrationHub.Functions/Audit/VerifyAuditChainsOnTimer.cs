using IntegrationHub.Core.Audit;
using IntegrationHub.Runtime.Timers;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// The hub checks its own chains now and then, so that a change is noticed without waiting for an
/// auditor: the result is kept for the operations page, and a chain that does not hold is logged as
/// critical. An auditor still verifies with the command line, trusting nothing the hub says.
/// </summary>
internal sealed class VerifyAuditChainsOnTimer(AuditVerificationService verification, IAuditStore store, ILogger<VerifyAuditChainsOnTimer> logger) : ITimerFunction
{
    public const string Name = "verify-audit-chains";

    public async Task RunAsync(TimerFunctionContext context, CancellationToken cancellationToken)
    {
        var report = await verification.VerifyAsync(null, cancellationToken);
        await store.RecordVerificationAsync(new AuditVerificationRecord(report.VerifiedAt, report.Intact, report.Entries, report.Summary), cancellationToken);
        if (report.Intact)
        {
            Log.AuditChainsIntact(logger, report.Summary);
        }
        else
        {
            Log.AuditChainsBroken(logger, report.Summary);
        }
    }
}
