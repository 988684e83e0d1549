using IntegrationHub.Core.Dossiers;

namespace IntegrationHub.Functions.Status;

/// <summary>What a department's report did.</summary>
internal enum ReportOutcome
{
    /// <summary>Applied, and on its way to the portal.</summary>
    Applied,
    /// <summary>A report with that id was applied before; nothing changed.</summary>
    AlreadyApplied,
    /// <summary>The department holds no such dossier.</summary>
    NotFound,
}

/// <summary>The outcome of a report, with the dossier's state after it.</summary>
internal sealed record ReportResult(ReportOutcome Outcome, DossierRecord? Dossier);

/// <summary>
/// A department reports progress: the change must follow the portal's state machine (supplementary
/// documents at most once; the clock pauses meanwhile and the due date moves by the paused time);
/// it is recorded on the timeline with the officer and unit, and sent to the portal with its progress
/// record. The department's report id makes a repeat harmless.
/// </summary>
internal sealed class DepartmentStatusService(
    Reloadable<ReferenceData> referenceData,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    TimeProvider time)
{
    /// <exception cref="StatusTransitionException">The state machine refuses the change.</exception>
    public async Task<ReportResult> ApplyAsync(string department, string cityCode, DepartmentStatusReport report, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var at = report.OccurredAt is { } occurred && occurred <= now ? occurred : now;
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        var dossier = await dossiers.FindAsync(transaction, cityCode, cancellationToken);
        if (dossier is null || dossier.DepartmentCode != department || dossier.CityCode != cityCode || dossier.Progress is null)
        {
            return new ReportResult(ReportOutcome.NotFound, null);
        }

        if (!await transaction.TryRecordProcessedAsync($"status:{department}", report.ReportId, cancellationToken))
        {
            return new ReportResult(ReportOutcome.AlreadyApplied, dossier);
        }

        using var step = Telemetry.DossierTraces.Start("department status report", dossier.PortalCode);
        var progress = dossier.Progress.Apply(report.Status, at, referenceData.Current.Calendar);
        dossier = await dossiers.SaveAsync(transaction, dossier with { Progress = progress }, cancellationToken);
        var messageId = PortalStatusChanges.ReportedId(dossier.PortalCode, report.ReportId);
        var action = HubTexts.WithReason(report.Action, report.Reason);
        await dossiers.AppendAsync(transaction, new TimelineEvent
        {
            PortalCode = dossier.PortalCode, At = at, Actor = report.Officer.Name, Unit = report.Unit, Action = action, Status = report.Status, MessageId = messageId,
        }, cancellationToken);
        transaction.Send(HubQueues.PortalStatus, PortalStatusChanges.Reported(dossier.PortalCode, cityCode, report, at, progress.DueAt, now));
        await transaction.CommitAsync(cancellationToken);
        return new ReportResult(ReportOutcome.Applied, dossier);
    }
}
