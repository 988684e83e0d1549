using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Status;

/// <summary>
/// Finds dossiers near or past their due date and raises one alert per dossier per threshold: on
/// the timeline, in the log, and on the <c>deadline-alerts</c> queue for whoever notifies people.
/// </summary>
internal sealed class DeadlineWatch(
    Reloadable<ReferenceData> referenceData,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    IDeadlineAlerts alerts,
    IOptions<FlowOptions> options,
    TimeProvider time,
    ILogger<DeadlineWatch> logger)
{
    private const int Batch = 500;

    /// <summary>Checks every routed dossier that is not final; returns how many alerts were raised.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var calendar = referenceData.Current.Calendar;

        // Working time runs at most as fast as calendar time: nothing due later than the window in
        // calendar time can be near due now.
        var candidates = await dossiers.DueBeforeAsync(now + options.Value.NearDueWindow + TimeSpan.FromDays(14), Batch, cancellationToken);
        var due = candidates
            .Select(d => (Dossier: d, State: DeadlinePolicy.Evaluate(d.Progress!, now, calendar, options.Value.NearDueWindow)))
            .Where(x => x.State != DeadlineState.OnTrack)
            .ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var raised = 0;
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        foreach (var (dossier, state) in due)
        {
            var threshold = state == DeadlineState.Overdue ? DeadlineThreshold.Overdue : DeadlineThreshold.NearDue;
            var name = threshold == DeadlineThreshold.Overdue ? "overdue" : "nearDue";
            if (!await alerts.TryRaiseAsync(transaction, dossier.PortalCode, name, now, cancellationToken))
            {
                continue;
            }

            using var step = Telemetry.DossierTraces.Start("deadline alert", dossier.PortalCode);
            var messageId = $"alert:{dossier.PortalCode}:{name}";
            transaction.Send(HubQueues.DeadlineAlerts, FlowMessages.Create(messageId, dossier.PortalCode, new DeadlineAlertRaised
            {
                CityCode = dossier.CityCode!, PortalCode = dossier.PortalCode, DepartmentCode = dossier.DepartmentCode!,
                Threshold = threshold, DueAt = dossier.Progress!.DueAt, RaisedAt = now,
            }));
            var text = HubTexts.DeadlineAlert(threshold == DeadlineThreshold.Overdue, dossier.Progress.DueAt);
            await dossiers.AppendAsync(transaction, FlowMessages.HubStep(dossier.PortalCode, now, text, messageId: messageId), cancellationToken);
            Log.DeadlineAlert(logger, dossier.CityCode!, name, dossier.DepartmentCode!);
            raised++;
        }

        await transaction.CommitAsync(cancellationToken);
        return raised;
    }
}
