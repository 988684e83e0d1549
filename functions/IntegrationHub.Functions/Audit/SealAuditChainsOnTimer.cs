using IntegrationHub.Core.Audit;
using IntegrationHub.Runtime.Timers;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// The sealer: gives every newly written entry of the three logs its place in its chain and signs a
/// checkpoint when one is due, on one hub instance at a time (the timer lease).
/// </summary>
internal sealed class SealAuditChainsOnTimer(IAuditStore store, AuditKeyRing keys, IOptions<AuditOptions> options, TimeProvider time, ILogger<SealAuditChainsOnTimer> logger) : ITimerFunction
{
    public const string Name = "seal-audit-chains";

    public async Task RunAsync(TimerFunctionContext context, CancellationToken cancellationToken)
    {
        var pass = await new AuditSealer(store, keys.Signing, options.Value.Policy, time).RunAsync(cancellationToken);
        if (pass.Checkpoint is { } checkpoint)
        {
            Log.CheckpointSigned(logger, checkpoint.Number, string.Join(", ", checkpoint.Chains.Select(h => $"{h.Chain} {h.Count}")), checkpoint.KeyId);
        }
    }
}
