using IntegrationHub.Core.Calendar;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Dossiers;

/// <summary>
/// Where a dossier stands: its status, its due date, and the supplement-request rule (at most
/// once; the clock pauses while the applicant supplements).
/// </summary>
public sealed record DossierProgress
{
    /// <summary>The current status.</summary>
    public required DossierStatus Status { get; init; }

    /// <summary>The resolution time of the dossier's procedure.</summary>
    public required ResolutionTime Resolution { get; init; }

    /// <summary>When the result is due; moved forward by a supplement pause.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>Whether supplementary documents have been requested (it may happen only once).</summary>
    public bool SupplementRequested { get; init; }

    /// <summary>When the clock was paused for supplementary documents, while it is.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>The progress of a dossier just accepted at <paramref name="receivedAt"/>.</summary>
    public static DossierProgress Accepted(DateTimeOffset receivedAt, ResolutionTime resolution, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return new DossierProgress
        {
            Status = DossierStatus.Accepted,
            Resolution = resolution,
            DueAt = calendar.DueDate(receivedAt, resolution),
        };
    }

    /// <summary>
    /// Applies a status change at <paramref name="at"/>: refuses what the state machine forbids and
    /// a second supplement request; pauses the clock on a supplement request and, on leaving it,
    /// moves the due date by the paused time.
    /// </summary>
    /// <exception cref="StatusTransitionException">The change is not allowed.</exception>
    public DossierProgress Apply(DossierStatus next, DateTimeOffset at, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (!StatusMachine.IsAllowed(Status, next))
        {
            throw new StatusTransitionException(Status, next);
        }

        if (next == DossierStatus.SupplementRequested && SupplementRequested)
        {
            throw StatusTransitionException.SecondSupplementRequest(Status);
        }

        var dueAt = DueAt;
        DateTimeOffset? pausedAt = PausedAt;
        if (Status == DossierStatus.SupplementRequested && PausedAt is { } started)
        {
            dueAt = calendar.ExtendForPause(DueAt, started, at, Resolution.Kind);
            pausedAt = null;
        }

        if (next == DossierStatus.SupplementRequested)
        {
            pausedAt = at;
        }

        return this with
        {
            Status = next,
            DueAt = dueAt,
            PausedAt = pausedAt,
            SupplementRequested = SupplementRequested || next == DossierStatus.SupplementRequested,
        };
    }
}
