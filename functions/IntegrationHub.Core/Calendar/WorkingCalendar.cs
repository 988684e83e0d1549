using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Calendar;

/// <summary>
/// Counts resolution time the way the one-stop rules do: in working time (working hours of
/// working days), skipping weekends and public holidays, honouring swapped working Saturdays.
/// </summary>
/// <remarks>
/// A resolution time of N working days is N times the working-day length of working time, counted
/// from receipt; a dossier received after hours therefore starts counting the next working morning,
/// and one received at 15:00 is due at 15:00. A calendar-day procedure counts every day, but its
/// due date is moved forward to a working day when it would land on a day off.
/// </remarks>
public sealed class WorkingCalendar
{
    private readonly Dictionary<int, CalendarYear> years;
    private readonly HashSet<DateOnly> daysOff;
    private readonly HashSet<DateOnly> workingWeekends;

    /// <summary>Creates a calendar from holiday data and working hours.</summary>
    public WorkingCalendar(CalendarData data, WorkingHours hours)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(hours);
        Hours = hours;
        years = data.Years.ToDictionary(y => y.Year);
        daysOff = data.Years.SelectMany(y => y.DaysOff).Select(d => d.Date).ToHashSet();
        workingWeekends = data.Years.SelectMany(y => y.WorkingWeekends).Select(d => d.Date).ToHashSet();
        FirstYear = years.Keys.Min();
        LastYear = years.Keys.Max();
    }

    /// <summary>The working hours.</summary>
    public WorkingHours Hours { get; }

    /// <summary>The first year the calendar has data for.</summary>
    public int FirstYear { get; }

    /// <summary>The last year the calendar has data for.</summary>
    public int LastYear { get; }

    /// <summary>The data of one year, if covered.</summary>
    public CalendarYear? YearData(int year) => years.GetValueOrDefault(year);

    /// <summary>Whether the offices work on that date.</summary>
    /// <exception cref="CalendarNotCoveredException">The calendar has no data for the date's year.</exception>
    public bool IsWorkingDay(DateOnly date)
    {
        if (!years.ContainsKey(date.Year))
        {
            throw new CalendarNotCoveredException(date.Year, FirstYear, LastYear);
        }

        if (workingWeekends.Contains(date))
        {
            return true;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !daysOff.Contains(date);
    }

    /// <summary>
    /// When counting starts for something received at <paramref name="receivedAt"/>: that moment
    /// during working hours, otherwise the next opening of a working period.
    /// </summary>
    public DateTimeOffset StartOfCount(DateTimeOffset receivedAt) => AddWorkingTime(receivedAt, TimeSpan.Zero, clampZero: true);

    /// <summary>The instant at which <paramref name="duration"/> of working time has passed since <paramref name="from"/>.</summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset from, TimeSpan duration) => AddWorkingTime(from, duration, clampZero: false);

    /// <summary>The working time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var lastDay = VietnamTime.DateOf(to);
        for (var day = VietnamTime.DateOf(from); day <= lastDay; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var period in Hours.Periods)
            {
                var start = Max(VietnamTime.At(day, period.Start), from);
                var end = Min(VietnamTime.At(day, period.End), to);
                if (end > start)
                {
                    total += end - start;
                }
            }
        }

        return total;
    }

    /// <summary>The due date of something received at <paramref name="receivedAt"/> with the given resolution time.</summary>
    public DateTimeOffset DueDate(DateTimeOffset receivedAt, ResolutionTime resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentOutOfRangeException.ThrowIfNegative(resolution.Days);
        return resolution.Kind switch
        {
            ResolutionKind.WorkingDays => AddWorkingTime(receivedAt, Hours.DayLength * resolution.Days, clampZero: true),
            ResolutionKind.CalendarDays => NextWorkingDaySameTime(StartOfCount(receivedAt).AddDays(resolution.Days)),
            _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution.Kind, "Unknown resolution kind."),
        };
    }

    /// <summary>
    /// The due date after a pause (a supplement request) from <paramref name="pausedAt"/> to
    /// <paramref name="resumedAt"/>: moved by the paused working time (or, for calendar-day
    /// procedures, the paused calendar time, still never landing on a day off).
    /// </summary>
    public DateTimeOffset ExtendForPause(DateTimeOffset dueAt, DateTimeOffset pausedAt, DateTimeOffset resumedAt, ResolutionKind kind) => kind switch
    {
        ResolutionKind.WorkingDays => AddWorkingTime(dueAt, WorkingTimeBetween(pausedAt, resumedAt)),
        ResolutionKind.CalendarDays => resumedAt > pausedAt ? NextWorkingDaySameTime(dueAt + (resumedAt - pausedAt)) : dueAt,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown resolution kind."),
    };

    private DateTimeOffset AddWorkingTime(DateTimeOffset from, TimeSpan duration, bool clampZero)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        if (duration == TimeSpan.Zero && !clampZero)
        {
            return from;
        }

        var remaining = duration;
        var local = VietnamTime.ToLocal(from);
        for (var day = DateOnly.FromDateTime(local.DateTime); ; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var period in Hours.Periods)
            {
                var start = Max(VietnamTime.At(day, period.Start), local);
                var end = VietnamTime.At(day, period.End);

                // A period already over is skipped; so is one we stand at the closing of, so that a
                // count never starts at a moment the office closes.
                if (end <= start)
                {
                    continue;
                }

                if (remaining <= end - start)
                {
                    return start + remaining;
                }

                remaining -= end - start;
            }
        }
    }

    private DateTimeOffset NextWorkingDaySameTime(DateTimeOffset instant)
    {
        var local = VietnamTime.ToLocal(instant);
        while (!IsWorkingDay(DateOnly.FromDateTime(local.DateTime)))
        {
            local = local.AddDays(1);
        }

        return local;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}

/// <summary>The working-day calendar has no data for a year a computation needs.</summary>
public sealed class CalendarNotCoveredException : InvalidOperationException
{
    /// <summary>Creates the exception for a missing year.</summary>
    public CalendarNotCoveredException(int year, int firstYear, int lastYear)
        : base($"The working-day calendar has no data for {year} (it covers {firstYear}–{lastYear}); add the year's holidays and swapped days to calendar.json.")
    {
        Year = year;
    }

    /// <summary>The year that is missing.</summary>
    public int Year { get; }
}
