using IntegrationHub.Core.Audit;
using IntegrationHub.Core.Operations;
using IntegrationHub.Functions.Operations;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Audit;

/// <summary>What retention deleted.</summary>
/// <param name="ThroughCheckpoint">The checkpoint kept, from which the chains are now verified.</param>
/// <param name="Entries">Entries deleted from the three logs.</param>
/// <param name="Seals">Seals deleted.</param>
internal sealed record AuditRetentionResult(long ThroughCheckpoint, long Entries, long Seals);

/// <summary>A retention the hub refuses; the message says why.</summary>
internal sealed class AuditRetentionRefusedException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}

/// <summary>
/// Retention: the one sanctioned delete. Only through a stored checkpoint older than the minimum age;
/// signed with the audit key (so that no one without it can pass a deletion off as retention) and
/// recorded, with who asked and why, in the operator audit log.
/// </summary>
internal sealed class AuditRetentionService(IAuditStore store, IAuditSnapshots snapshots, AuditKeyRing keys, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetentionService> logger)
{
    public async Task<AuditRetentionResult> RetainAsync(AuditRetentionRequest request, Operator by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        var now = time.GetUtcNow();
        AuditCheckpoint? checkpoint;
        await using (var snapshot = await snapshots.OpenAsync(cancellationToken))
        {
            checkpoint = (await snapshot.CheckpointsAsync(cancellationToken)).FirstOrDefault(c => c.Number == request.ThroughCheckpoint);
        }

        if (checkpoint is null)
        {
            throw new AuditRetentionRefusedException($"There is no checkpoint {request.ThroughCheckpoint} in the store.", notFound: true);
        }

        var minimum = options.Value.RetentionMinimumAge;
        if (now - checkpoint.At < minimum)
        {
            throw new AuditRetentionRefusedException($"Checkpoint {checkpoint.Number} was signed {Core.VietnamTime.ToLocal(checkpoint.At).ToString("dd/MM/yyyy HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture)}, less than Audit:RetentionMinimumAge ({minimum.TotalDays:0} days) ago.");
        }

        var action = new OperatorAction
        {
            At = now, Actor = by.Subject, ActorName = by.Name, Unit = by.Unit, Action = OperatorActions.AuditRetention, Comment = request.Comment,
            Detail = $$"""{"throughCheckpoint":{{checkpoint.Number}},"checkpointAt":"{{checkpoint.At:O}}"}""",
        };
        try
        {
            var result = await store.RetainAsync(keys.Signing.SignRetention(checkpoint.Number, now), action, cancellationToken);
            Log.AuditRetained(logger, checkpoint.Number, by.Subject, result.Entries, result.Seals);
            return new AuditRetentionResult(checkpoint.Number, result.Entries, result.Seals);
        }
        catch (InvalidOperationException ex)
        {
            throw new AuditRetentionRefusedException(ex.Message);
        }
    }
}
