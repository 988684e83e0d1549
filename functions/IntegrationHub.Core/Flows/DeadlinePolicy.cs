using IntegrationHub.Core.Calendar;
using IntegrationHub.Core.Dossiers;

namespace IntegrationHub.Core.Flows;

/// <summary>How close a dossier is to its due date.</summary>
public enum DeadlineState
{
    /// <summary>Not close yet, paused for supplements, or finished.</summary>
    OnTrack,
    /// <summary>Due within the warning window (in working time).</summary>
    NearDue,
    /// <summary>Past its due date.</summary>
    Overdue,
}

/// <summary>
/// The deadline watch: a dossier is near due when less than the warning window of working time
/// remains; overdue when its due date has passed. A paused dossier (supplement requested) is on
/// track: its clock is not running. Finished and final dossiers are not watched.
/// </summary>
public static class DeadlinePolicy
{
    /// <summary>The state of a dossier at <paramref name="now"/>.</summary>
    public static DeadlineState Evaluate(DossierProgress progress, DateTimeOffset now, WorkingCalendar calendar, TimeSpan warningWindow)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(calendar);
        if (progress.PausedAt is not null
            || StatusMachine.IsFinal(progress.Status)
            || progress.Status is Schemas.DossierStatus.ProcessingFinished)
        {
            return DeadlineState.OnTrack;
        }

        if (now >= progress.DueAt)
        {
            return DeadlineState.Overdue;
        }

        return calendar.WorkingTimeBetween(now, progress.DueAt) <= warningWindow ? DeadlineState.NearDue : DeadlineState.OnTrack;
    }
}
