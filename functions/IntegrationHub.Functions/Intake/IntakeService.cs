using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Intake;

/// <summary>What one intake did with the submissions it was given.</summary>
/// <param name="Accepted">Recorded and sent on to verification.</param>
/// <param name="Duplicates">Listed again with the same content: nothing to do.</param>
/// <param name="DeadLettered">Unreadable, or a dossier code listed again with other content: kept with the reason.</param>
internal readonly record struct IntakeResult(int Accepted, int Duplicates, int DeadLettered)
{
    public static IntakeResult operator +(IntakeResult a, IntakeResult b) => new(a.Accepted + b.Accepted, a.Duplicates + b.Duplicates, a.DeadLettered + b.DeadLettered);
}

/// <summary>
/// Intake: each submission from the portal (pulled or pushed) is recorded once under its portal code
/// and sent to verification; an unreadable one, or a code listed again with other content, is
/// dead-lettered with the reason. A page's records, messages and cursor commit together, so the
/// cursor moves only once the page's messages are durable.
/// </summary>
internal sealed class IntakeService(
    IPortalGateway portal,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    ISyncCursors cursors,
    IOptions<FlowOptions> options,
    TimeProvider time,
    ILogger<IntakeService> logger)
{
    public const string CursorName = "portal-submissions";
    public const string UnreadableSubmission = "UnreadableSubmission";
    public const string ConflictingDuplicate = "ConflictingDuplicate";

    /// <summary>Pulls new submissions since the stored cursor, page by page.</summary>
    public async Task<IntakeResult> PullAsync(CancellationToken cancellationToken)
    {
        var total = default(IntakeResult);
        var cursor = await cursors.GetAsync(CursorName, cancellationToken);
        for (var page = 0; page < options.Value.PortalPagesPerRun; page++)
        {
            var listed = await portal.ListSubmissionsAsync(cursor, options.Value.PortalPageSize, cancellationToken);
            total += await AcceptAsync(listed.Items, listed.NextCursor, cancellationToken);
            cursor = listed.NextCursor;
            if (!listed.HasMore)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Takes in submissions; moves the pull cursor to <paramref name="nextCursor"/> in the same commit when given.</summary>
    public async Task<IntakeResult> AcceptAsync(IReadOnlyList<PortalSubmission> items, string? nextCursor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var prepared = items.Select(item => (Item: item, Fingerprint: item.Submission is null ? "" : Fingerprint(item.Submission))).ToList();
        int accepted = 0, duplicates = 0, deadLettered = 0;

        await using var transaction = await transactions.BeginAsync(cancellationToken);
        // Every readable submission's dossier added at once (a portal code's first in the page); a code
        // left out was here before, or earlier in the page.
        var records = prepared.Where(p => p.Item.Submission is not null).Select(p => NewRecord(p.Item.Submission!, p.Fingerprint, now)).ToList();
        var isNew = await dossiers.TryAddAsync(transaction, records, cancellationToken);
        var added = records.Where((_, i) => isNew[i]).ToDictionary(r => r.PortalCode, r => r.ReceivedAt, StringComparer.Ordinal);
        foreach (var (item, fingerprint) in prepared)
        {
            using var step = item.PortalCode is { } code ? Telemetry.DossierTraces.Start("intake submission", code) : default;
            if (item.Submission is not { } submission)
            {
                transaction.DeadLetter(HubQueues.Intake, Unreadable(item), UnreadableSubmission, $"The portal's item {item.PortalCode ?? "(without MaHoSo)"} cannot be read: {item.Problem}");
                Log.IntakeUnreadable(logger, item.PortalCode ?? "(without MaHoSo)");
                deadLettered++;
                continue;
            }

            var messageId = $"intake:{submission.PortalCode}";
            if (added.Remove(submission.PortalCode, out var receivedAt))
            {
                transaction.Send(HubQueues.Intake, FlowMessages.Received(messageId, submission, receivedAt));
                await dossiers.AppendAsync(transaction, FlowMessages.HubStep(submission.PortalCode, now, HubTexts.Received, DossierStatus.NewlyRegistered, messageId), cancellationToken);
                accepted++;
                continue;
            }

            var existing = await dossiers.FindAsync(transaction, submission.PortalCode, cancellationToken);
            if (existing?.Fingerprint == fingerprint)
            {
                duplicates++;
                continue;
            }

            transaction.DeadLetter(
                HubQueues.Intake,
                FlowMessages.Create($"intake-conflict:{submission.PortalCode}:{fingerprint[..12]}", submission.PortalCode, submission),
                ConflictingDuplicate,
                $"Dossier code {submission.PortalCode} was received before with other content; the first one is being processed.");
            Log.IntakeConflictingDuplicate(logger, submission.PortalCode);
            deadLettered++;
        }

        if (nextCursor is not null)
        {
            await cursors.SetAsync(transaction, CursorName, nextCursor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (accepted + duplicates + deadLettered > 0)
        {
            Log.IntakeCommitted(logger, accepted, duplicates, deadLettered);
        }

        return new IntakeResult(accepted, duplicates, deadLettered);
    }

    private static DossierRecord NewRecord(SubmissionReceived submission, string fingerprint, DateTimeOffset now) => new()
    {
        PortalCode = submission.PortalCode,
        ProcedureCode = submission.ProcedureCode,
        Channel = submission.Channel,
        ApplicantKind = submission.Applicant.Kind,
        MaskedApplicantId = CitizenId.Mask(submission.Applicant.IdNumber),
        ReceivedAt = Receipt.ReceivedAt(submission, now),
        Fingerprint = fingerprint,
        Stage = DossierStage.Received,
        HandedInAt = submission.ReceivingBranch,
    };

    private static OutgoingMessage Unreadable(PortalSubmission item) => new()
    {
        MessageId = $"intake-unreadable:{item.PortalCode ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(item.RawJson)))[..16]}",
        CorrelationId = item.PortalCode,
        Subject = "PortalDossier",
        Body = Encoding.UTF8.GetBytes(item.RawJson),
    };

    private static string Fingerprint(SubmissionReceived submission) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(submission, HubJson.Options)));
}
