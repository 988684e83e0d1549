using IntegrationHub.Core.Gateways;
using IntegrationHub.Runtime.Timers;

namespace IntegrationHub.Functions.Intake;

/// <summary>Pulls the portal's new submissions since the stored cursor, on one hub instance at a time.</summary>
internal sealed class SyncPortalOnTimer(IntakeService intake, ILogger<SyncPortalOnTimer> logger) : ITimerFunction
{
    public const string Name = "sync-portal";

    public async Task RunAsync(TimerFunctionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await intake.PullAsync(cancellationToken);
        }
        catch (GatewayException ex)
        {
            // The cursor stays where the last committed page left it; the next run asks again.
            Log.PortalSyncFailed(logger, ex.Failure.ToString(), ex.Message);
        }
    }
}
