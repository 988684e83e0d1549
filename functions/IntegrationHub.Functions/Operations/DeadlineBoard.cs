using IntegrationHub.Core;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Operations;

/// <summary>A dossier on the deadlines board. Times are Vietnam time.</summary>
internal sealed record DeadlineEntry(
    string PortalCode,
    string? CityCode,
    string ProcedureCode,
    string? DepartmentCode,
    DossierStatus? Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? PausedAt);

/// <summary>The deadlines board: dossiers overdue, due before the end of today (Hanoi), near due in working time, and paused for supplements.</summary>
internal sealed record DeadlineBoardView(
    DateTimeOffset Now,
    IReadOnlyList<DeadlineEntry> Overdue,
    IReadOnlyList<DeadlineEntry> DueToday,
    IReadOnlyList<DeadlineEntry> NearDue,
    IReadOnlyList<DeadlineEntry> Paused,
    bool Truncated);

/// <summary>Reads the deadlines board from the dossier registry, by the same rules as the deadline alerts.</summary>
internal sealed class DeadlineBoard(IDossierRegistry dossiers, Reloadable<ReferenceData> referenceData, IOptions<FlowOptions> flows, TimeProvider time)
{
    public async Task<DeadlineBoardView> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var endOfToday = VietnamTime.At(VietnamTime.DateOf(now).AddDays(1), TimeOnly.MinValue);
        // Working time runs at most as fast as calendar time, so nothing due after the window in calendar time is near due.
        var horizon = Max(endOfToday, now + flows.Value.NearDueWindow + TimeSpan.FromDays(14));
        var due = await dossiers.DueBeforeAsync(horizon, limit, cancellationToken);
        var paused = await dossiers.PausedAsync(limit, cancellationToken);
        var running = due.Where(d => d.Progress is { PausedAt: null }).ToList();
        var calendar = referenceData.Current.Calendar;

        return new DeadlineBoardView(
            VietnamTime.ToLocal(now),
            [.. running.Where(d => d.Progress!.DueAt <= now).Select(Entry)],
            [.. running.Where(d => d.Progress!.DueAt > now && d.Progress.DueAt < endOfToday).Select(Entry)],
            [.. running.Where(d => d.Progress!.DueAt >= endOfToday && DeadlinePolicy.Evaluate(d.Progress, now, calendar, flows.Value.NearDueWindow) == DeadlineState.NearDue).Select(Entry)],
            [.. paused.Select(Entry)],
            due.Count >= limit || paused.Count >= limit);
    }

    private static DeadlineEntry Entry(DossierRecord d) => new(
        d.PortalCode, d.CityCode, d.ProcedureCode, d.DepartmentCode, d.Progress?.Status, VietnamTime.ToLocal(d.ReceivedAt),
        d.Progress?.DueAt is { } due ? VietnamTime.ToLocal(due) : null,
        d.Progress?.PausedAt is { } paused ? VietnamTime.ToLocal(paused) : null);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
